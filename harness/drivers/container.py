"""Drive a connector image: a fresh container per scenario run.

``--connector container:IMAGE`` speaks to the container in one of the two wire protocols of
docs/driver-protocol.md, chosen by the image's label ``org.drawbridge.protocol``:

``command`` (the default, no label needed) runs, for each scenario run and without a shell::

    docker run --rm -i --network host --name drawbridge-connector-<id> \\
        -e DRAWBRIDGE_BANK_URL -e DRAWBRIDGE_CORE_VERSION IMAGE

and talks to it exactly like ``command:`` does (:mod:`harness.drivers.command`: one JSON request
per line on the container's stdin, one JSON answer per line on its stdout). Host networking lets
the container reach the fake bank on the host's loopback; ``-e NAME`` without a value hands the
bank's URL and the core version from the ``docker`` client's environment into the container.

``http`` (``LABEL org.drawbridge.protocol=http``): the image is a connector *service*. For each
scenario run the driver picks a free loopback port and runs::

    docker run --rm --network host --name drawbridge-connector-<id> \\
        -e DRAWBRIDGE_CONNECTOR_HOST=127.0.0.1 -e DRAWBRIDGE_CONNECTOR_PORT=<port> IMAGE

waits until ``GET /drawbridge/identity`` answers on that port, then drives it exactly like
``http://`` does (:mod:`harness.drivers.http`: configure, then one operation per request). The
service must listen where those two variables say, so parallel jobs never share a port.

Stopping never trusts the connector: the client is killed after a grace period and the container
is removed by the name the driver gave it (``docker rm --force``), so a hung connector never
outlives its scenario run; an operation that times out removes it at once. See
docs/driver-protocol.md and the README section "Certify a connector image".
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from typing import IO, Any

import httpx

from fake_core_bank.errors import InputError
from harness.drivers.base import Driver, DriverFactory, DriverNotes
from harness.drivers.command import CommandDriver
from harness.drivers.http import HttpDriver
from harness.evidence import Identity
from harness.outcome import Outcome

#: A docker image reference; anything else (notably a leading "-") could pass as an option.
IMAGE_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/:@-]*$")
#: Seconds a new container may take to answer its first request (image start, interpreter).
STARTUP_SECONDS = 60.0
DOCKER_TIMEOUT = 60.0
#: The image label that says which wire protocol the connector inside speaks.
PROTOCOL_LABEL = "org.drawbridge.protocol"
PROTOCOLS = ("command", "http")
#: Attempts at a free port for a service container (another process may take the one picked).
PORT_ATTEMPTS = 3


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


def image_protocol(image: str, spec: str) -> str:
    """The protocol the image declares in its ``org.drawbridge.protocol`` label (default
    ``command``); InputError naming the label when it says something else."""
    proc = subprocess.run(["docker", "image", "inspect", "--format", "{{json .Config.Labels}}",
                           image], capture_output=True, text=True, timeout=DOCKER_TIMEOUT,
                          check=False)
    try:
        labels = json.loads(proc.stdout) if proc.returncode == 0 else None
    except ValueError:
        labels = None
    # An image without labels inspects as `null`.
    value = labels.get(PROTOCOL_LABEL, "command") if isinstance(labels, dict) else "command"
    if value not in PROTOCOLS:
        raise InputError("--connector", f"image {image!r} of {spec!r} has label "
                         f"{PROTOCOL_LABEL}={value!r}",
                         f"label it {PROTOCOL_LABEL}=command (JSON lines on stdin/stdout) or "
                         f"{PROTOCOL_LABEL}=http (the /drawbridge/... endpoints)")
    return str(value)


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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


class ContainerHttpDriver:
    """One connector service container per :meth:`start`, driven through an :class:`HttpDriver`.
    """

    def __init__(self, image: str, spec: str, *, identity: Identity | None = None) -> None:
        self.image = image
        self.spec = spec
        self.identity = identity or Identity(image, spec=spec)
        self.notes = DriverNotes()
        self.name: str | None = None
        self.client: subprocess.Popen[bytes] | None = None
        self.log: IO[bytes] | None = None
        self.http: HttpDriver | None = None
        self.broken: str | None = None

    def argv(self, name: str, port: int) -> list[str]:
        """The ``docker run`` command line for a service container called ``name``."""
        return ["docker", "run", "--rm", "--network", "host", "--name", name,
                "--label", "org.drawbridge.role=connector",
                "-e", "DRAWBRIDGE_CONNECTOR_HOST=127.0.0.1",
                "-e", f"DRAWBRIDGE_CONNECTOR_PORT={port}", self.image]

    def launch(self, timeout: float = STARTUP_SECONDS) -> Any:
        """Start the container and wait for its identity; the identity answer, or None with
        :attr:`broken` saying why."""
        problem: str | None = "no attempt"
        for _ in range(PORT_ATTEMPTS):
            answer, problem, retry = self._launch_once(timeout)
            if problem is None:
                return answer
            self._remove()
            if not retry:
                break
        self.broken = f"connector container did not start: {problem}"
        self.notes.add(self.broken)
        return None

    def _launch_once(self, timeout: float) -> tuple[Any, str | None, bool]:
        self.name = f"drawbridge-connector-{uuid.uuid4().hex[:12]}"
        port = free_port()
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 -- closed in _remove
        self.client = subprocess.Popen(self.argv(self.name, port), stdin=subprocess.DEVNULL,
                                       stdout=self.log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.client.poll() is not None:
                said = self._log_tail()
                # Someone may have taken the port between the pick and the container's bind.
                return None, (f"the container exited ({self.client.returncode}) before "
                              f"answering on port {port}: {said}"), "in use" in said.lower()
            try:
                answer = httpx.get(base + "/drawbridge/identity", timeout=1.0)
            except httpx.HTTPError:
                time.sleep(0.05)
                continue
            self.http = HttpDriver(base, self.spec, identity=self.identity)
            self.http.notes = self.notes  # one evidence list for the service and the container
            try:
                return answer.json(), None, False
            except ValueError:
                return None, None, False
        return None, f"nothing answered on port {port} within {timeout:g}s", False

    def _log_tail(self) -> str:
        if self.log is None:
            return ""
        self.log.seek(0)
        lines = [ln for ln in self.log.read().decode("utf-8", "replace").splitlines()
                 if ln.strip()]
        return " | ".join(lines[-3:])[:300] or "no output"

    def start(self, bank_url: str, version: str) -> None:
        self.broken = None
        self.launch()
        if self.http is not None:
            self.http.start(bank_url, version)

    def perform(self, request: dict[str, Any], timeout: float) -> Outcome:
        if self.http is None:
            return Outcome.failed(self.broken or "connector not started")
        outcome = self.http.perform(request, timeout)
        if outcome.status == "failed" and (outcome.detail or "").startswith("timeout"):
            # The service is still busy with it: the container goes, the run's later
            # operations fail at once instead of queueing behind a hung one.
            self.broken = f"connector container removed after: {outcome.detail}"
            self.notes.add(self.broken)
            self.stop()
        return outcome

    def stop(self) -> None:
        if self.http is not None:
            self.http.stop()
            self.http = None
        self._remove()

    def _remove(self) -> None:
        if self.name is not None:
            problem = remove_container(self.name)
            if problem is not None:
                self.notes.add(problem)
            self.name = None
        if self.client is not None:
            try:
                self.client.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.client.kill()
                self.client.wait()
            self.client = None
        if self.log is not None:
            self.log.close()
            self.log = None


def container_factory(image: str, spec: str) -> tuple[DriverFactory, Identity]:
    """A factory of container drivers for ``image`` and the identity its container reports.

    The image's ``org.drawbridge.protocol`` label picks the driver (command or http). Raises
    InputError when the image reference is malformed, no Docker engine answers, the image is
    neither local nor pullable, its label names no protocol, or a service image never answers.
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
    if image_protocol(image, spec) == "http":
        return _http_factory(image, spec)
    probe = ContainerDriver(image, spec)
    probe.start("http://127.0.0.1:9", "v0")  # nothing listens there: hello needs no bank
    try:
        identity, answers_hello = probe.hello()
    finally:
        probe.stop()

    def make() -> Driver:
        return ContainerDriver(image, spec, identity=identity, answers_hello=answers_hello)

    return make, identity


def _http_factory(image: str, spec: str) -> tuple[DriverFactory, Identity]:
    service = ContainerHttpDriver(image, spec)
    try:
        answer = service.launch()
    finally:
        service.stop()
    if service.broken is not None:
        raise InputError("--connector", f"{spec!r}: {service.broken}",
                         "the image must serve /drawbridge/identity on 127.0.0.1 at the port "
                         "in DRAWBRIDGE_CONNECTOR_PORT (docs/driver-protocol.md)")
    identity = Identity.from_wire(answer, spec, image)

    def make() -> Driver:
        return ContainerHttpDriver(image, spec, identity=identity)

    return make, identity
