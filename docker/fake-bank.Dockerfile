# The fake core bank as an image: `drawbridge serve` on loopback, for host networking.
#
# Build context: a directory holding wheels/ (the project and every dependency, built beforehand
# with `pip wheel --wheel-dir CONTEXT/wheels .`); the build installs from it without network.
#   docker build -f docker/fake-bank.Dockerfile -t drawbridge-fake-bank CONTEXT
#   docker run --rm --network host -e PORT=8080 drawbridge-fake-bank --versions v2 --seed 3
# Arguments after the image name are `drawbridge serve` options; PORT=0 picks a free port and
# the first log line names it. The control API has no token on loopback: set DRAWBRIDGE_TOKEN
# to require one. BASE_IMAGE needs python3 with venv (CI uses a Debian image it bootstraps).
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

COPY wheels/ /wheels/
# A venv, not the system site-packages: Debian's python3 refuses `pip install` outside one.
RUN python3 -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir --no-index --find-links /wheels drawbridge-banking \
 && rm -rf /wheels

ENV PATH=/opt/venv/bin:${PATH} \
    PYTHONUNBUFFERED=1 \
    PORT=8080

# Loopback only: with --network host the harness on the same machine reaches it there, and
# nothing beyond the machine does.
ENTRYPOINT ["/bin/sh", "-c", "exec drawbridge serve --host 127.0.0.1 --port \"$PORT\" \"$@\"", "drawbridge-serve"]
CMD ["--versions", "v1,v2,v3"]
