"""Drive a connector image: a fresh container per scenario run, spoken to over stdin/stdout.

``--connector container:IMAGE`` runs, for each scenario run and without a shell::

    docker run --rm -i --network host --name drawbridge-connector-<id> \\
        -e DRAWBRIDGE_BANK_URL -e DRAWBRIDGE_CORE_VERSION IMAGE

and talks to it exactly like ``command:`` does (:mod:`harness.drivers.command`: one JSON request
per line on the container's stdin, one JSON answer per line on its stdout). Host networking lets
the container reach the fake bank on the host's loopback; ``-e NAME`` without a value hands the
bank's URL and the core version from the ``docker`` client's environment into the container.

Stopping never trusts the connector: stdin is closed, the client is killed after a grace period,
and the container is removed by the name the driver gave it (``docker rm --force``), so a hung
connector never outlives its scenario run. See docs/driver-protocol.md and the README section
"Certify a connector image".
"""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from typing import Any

from fake_core_bank.errors import InputError
from harness.drivers.base import Driver, DriverFactory, DriverNotes, Identity
from harness.drivers.command import CommandDriver
from harness.outcome import Outcome

#: A docker image reference; anything else (notably a leading "-") could pass as an option.
IMAGE_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/:@-]*$")
#: Seconds a new container may take to answer its first request (image start, interpreter).
STARTUP_SECONDS = 60.0
DOCKER_TIMEOUT = 60.0


def docker_problem() -> str | None:
    """Why no Docker engine is usable from here, or None when ``docker info`` answers."""
    docker = shutil.which("docker")
    if docker is None:
        return "the docker command is not installed"
    try:
        proc = subprocess.run([docker, "info", "--format", "{{.ServerVersion}}"],
                              capture_output=True, text=True, timeout=20, check=False)
    except subprocess.TimeoutExpired:
        return "`docker info` did not answer within 20 s"
    if proc.returncode != 0:
        lines = [ln for ln in proc.stderr.strip().splitlines() if ln.strip()]
        return "no Docker engine answers `docker info`" + (f": {lines[-1]}" if lines else "")
    return None


def image_present(image: str) -> bool:
    """Whether the engine has ``image`` locally."""
    proc = subprocess.run(["docker", "image", "inspect", image], capture_output=True,
                          timeout=DOCKER_TIMEOUT, check=False)
    return proc.returncode == 0


def ensure_image(image: str, spec: str) -> None:
    """Pull ``image`` unless it is local; InputError naming the image when neither works."""
    if image_present(image):
        return
    proc = subprocess.run(["docker", "pull", "--quiet", image], capture_output=True, text=True,
                          timeout=600, check=False)
    if proc.returncode != 0:
        detail = (proc.stderr.strip().splitlines() or ["no reason given"])[-1]
        raise InputError("--connector", f"image {image!r} of {spec!r} is not on this machine "
                         f"and cannot be pulled ({detail})",
                         "build or load it first (docker build -t IMAGE . / docker load), or "
                         "check the name and tag")


def remove_container(name: str) -> str | None:
    """Kill and remove a container by name; the problem, or None when it is gone."""
    try:
        proc = subprocess.run(["docker", "rm", "--force", name], capture_output=True, text=True,
                              timeout=DOCKER_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return f"docker rm --force {name} did not finish within {DOCKER_TIMEOUT:g}s"
    stderr = proc.stderr.strip()
    # `--rm` may have removed it already, or be removing it right now: both mean gone.
    if proc.returncode != 0 and "No such container" not in stderr \
            and "already in progress" not in stderr:
        return f"docker rm --force {name}: {stderr[:200]}"
    return None


class ContainerDriver:
    """One connector container per :meth:`start`, driven through a :class:`CommandDriver`."""

    def __init__(self, image: str, spec: str, *, identity: Identity | None = None,
                 answers_hello: bool = False) -> None:
        self.image = image
        self.spec = spec
        self.identity = identity or Identity(image, spec=spec)
        self.answers_hello = answers_hello
        self.notes = DriverNotes()
        self.name: str | None = None
        self.command: CommandDriver | None = None
        self.broken: str | None = None  # why the container of this run cannot be driven

    def argv(self, name: str) -> list[str]:
        """The ``docker run`` command line for a container called ``name``."""
        return ["docker", "run", "--rm", "-i", "--network", "host", "--name", name,
                "--label", "org.drawbridge.role=connector",
                "-e", "DRAWBRIDGE_BANK_URL", "-e", "DRAWBRIDGE_CORE_VERSION", self.image]

    def start(self, bank_url: str, version: str) -> None:
        self.broken = None
        self.name = f"drawbridge-connector-{uuid.uuid4().hex[:12]}"
        self.command = CommandDriver(self.argv(self.name), self.spec, identity=self.identity)
        self.command.notes = self.notes  # one evidence list for the client and the container
        self.command.start(bank_url, version)
        if self.answers_hello:
            # Wait for the container to be up before the first operation, so container start-up
            # is never charged to an operation's time (nor to the virtual clock that runs then).
            _, problem = self.command.request({"op": "hello"}, STARTUP_SECONDS)
            if problem is not None:
                # A late hello answer would be read as the next operation's: start over clean.
                self.notes.add(f"container did not answer hello: {problem}")
                self.stop()
                self.broken = f"connector container did not start: {problem}"

    def hello(self, timeout: float = STARTUP_SECONDS) -> tuple[Identity, bool]:
        """Ask the started container who it is; the identity and whether it really answered."""
        assert self.command is not None, "start() first"
        answer, _ = self.command.request({"op": "hello"}, timeout)
        self.identity = Identity.from_wire(answer, self.spec, self.image)
        return self.identity, isinstance(answer, dict)

    def perform(self, request: dict[str, Any], timeout: float) -> Outcome:
        if self.command is None:
            return Outcome.failed(self.broken or "connector not started")
        outcome = self.command.perform(request, timeout)
        if outcome.status == "failed" and (outcome.detail or "").startswith("timeout"):
            self._remove()  # the client is killed; the hung container must go with it
        return outcome

    def stop(self) -> None:
        if self.command is not None:
            self.command.stop()
            self.command = None
        self._remove()

    def _remove(self) -> None:
        if self.name is None:
            return
        problem = remove_container(self.name)
        if problem is not None:
            self.notes.add(problem)
        self.name = None


def container_factory(image: str, spec: str) -> tuple[DriverFactory, Identity]:
    """A factory of container drivers for ``image`` and the identity its container reports.

    Raises InputError when the image reference is malformed, no Docker engine answers, or the
    image is neither local nor pullable.
    """
    if not image:
        raise InputError("--connector", f"{spec!r} names no image",
                         "write container:IMAGE[:TAG], e.g. container:my-connector:1.2")
    if not IMAGE_REF.match(image):
        raise InputError("--connector", f"{image!r} is not an image reference",
                         "write container:NAME[:TAG] or container:NAME@sha256:DIGEST")
    problem = docker_problem()
    if problem is not None:
        raise InputError("--connector", f"{spec!r} needs a Docker engine: {problem}",
                         "start Docker so that `docker info` answers, or run the connector "
                         "directly with command:<cmd> or http://host:port")
    ensure_image(image, spec)
    probe = ContainerDriver(image, spec)
    probe.start("http://127.0.0.1:9", "v0")  # nothing listens there: hello needs no bank
    try:
        identity, answers_hello = probe.hello()
    finally:
        probe.stop()

    def make() -> Driver:
        return ContainerDriver(image, spec, identity=identity, answers_hello=answers_hello)

    return make, identity
