# The reference Python connector as an HTTP-service connector image.
#
# The label tells Drawbridge to speak HTTP to it (docs/driver-protocol.md, "HTTP"): for each
# scenario run the harness starts
#   docker run --rm --network host -e DRAWBRIDGE_CONNECTOR_HOST=127.0.0.1 \
#       -e DRAWBRIDGE_CONNECTOR_PORT=<free port> IMAGE
# waits for GET /drawbridge/identity on that port, then configures it and sends operations
# (`drawbridge run --connector container:IMAGE`). A vendor service image only has to do the same.
#
# Build context: a directory holding wheels/ (at least requests, starlette, uvicorn and their
# dependencies) and examples/__init__.py, examples/connectors/__init__.py,
# examples/connectors/reference_py/*.py, examples/connectors/reference_http/*.py.
#   docker build -f docker/connector-http.Dockerfile -t drawbridge-connector-http CONTEXT
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

LABEL org.drawbridge.protocol=http

COPY wheels/ /wheels/
RUN python3 -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir --no-index --find-links /wheels \
      requests starlette uvicorn \
 && rm -rf /wheels

COPY examples/ /app/examples/
WORKDIR /app
ENV PATH=/opt/venv/bin:${PATH} \
    PYTHONUNBUFFERED=1

ENTRYPOINT ["python3", "-m", "examples.connectors.reference_http"]
