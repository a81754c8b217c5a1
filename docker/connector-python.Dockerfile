# The reference Python connector as a command-protocol connector image.
#
# It speaks the command driver's protocol (docs/driver-protocol.md): one JSON request per line on
# stdin, one JSON answer per line on stdout, DRAWBRIDGE_BANK_URL and DRAWBRIDGE_CORE_VERSION in
# the environment. The harness runs it per scenario with
#   docker run --rm -i --network host -e DRAWBRIDGE_BANK_URL -e DRAWBRIDGE_CORE_VERSION IMAGE
# (`drawbridge run --connector container:IMAGE`). A vendor image only has to do the same.
#
# Build context: a directory holding wheels/ (at least `requests` and its dependencies) and
# examples/__init__.py, examples/connectors/__init__.py, examples/connectors/reference_py/*.py.
#   docker build -f docker/connector-python.Dockerfile -t drawbridge-connector-python CONTEXT
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

COPY wheels/ /wheels/
RUN python3 -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir --no-index --find-links /wheels requests \
 && rm -rf /wheels

COPY examples/ /app/examples/
WORKDIR /app
# Unbuffered: every answer line must reach the harness at once.
ENV PATH=/opt/venv/bin:${PATH} \
    PYTHONUNBUFFERED=1

ENTRYPOINT ["python3", "-m", "examples.connectors.reference_py"]
