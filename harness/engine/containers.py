"""The fake core bank in a container: a :class:`Bank` whose server runs in Docker.

testcontainers starts the image (docker/fake-bank.Dockerfile) with host networking and
``--port 0``; the bank binds a free loopback port and names it in its first log line, so two
containers never race for a port. The control API then needs the bearer token generated here.

Example::

    with FakeCoreBankContainer("drawbridge-fake-bank:ci", versions=("v2",)) as bank:
        httpx.get(f"{bank.base_url}/v2/credit-lines/{line}")
        bank.set_line_status(line, "LOCKED")
        bank.journal()

Because it is a :class:`~harness.engine.bank.Bank` (its transport: the container's control
API), the engine runs scenarios on it as on the in-process bank:
``run_plan(..., bank_factory=lambda: FakeCoreBankContainer(img).start())``.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Sequence
from types import TracebackType
from typing import Any

import httpx

from fake_core_bank import cores
from fake_core_bank.errors import DrawbridgeError
from fake_core_bank.http.commands import Command, Params
from fake_core_bank.server import new_token
from harness.engine.bank import Bank, ControlClient

#: The image CI builds (.ci/containers.sh); override with DRAWBRIDGE_BANK_IMAGE.
DEFAULT_IMAGE = "drawbridge-fake-bank:ci"
READY_LINE = re.compile(r"fake core bank: (http://127\.0\.0\.1:\d+)")


class ContainerStartError(DrawbridgeError, RuntimeError):
    """The bank container did not come up; the message carries the end of its log."""


class NotStarted:
    """The transport of a container not started yet: every command says to start it."""

    def __init__(self, image: str) -> None:
        self.image = image

    def _refuse(self) -> ContainerStartError:
        return ContainerStartError(f"fake bank container {self.image!r} is not running; call "
                                   "start() first (or use it in a with block)")

    def send(self, command: Command, params: Params, body: dict[str, Any] | None) -> Any:
        raise self._refuse()

    def journal(self, since: int) -> list[dict[str, Any]]:
        raise self._refuse()

    def run_prefix(self) -> str:
        return ""

    def close(self) -> None:
        pass


class FakeCoreBankContainer(Bank):
    """A fake core bank image run by testcontainers, with every control helper of a Bank.

    Nothing runs until :meth:`start` (or ``with``): until then its transport refuses every
    command; :meth:`close` removes the container.
    """

    def __init__(self, image: str | None = None, *, versions: Sequence[str] | None = None,
                 seed: int = 0, customers: int = 10, time_scale: float | None = None,
                 token: str | None = None, startup_timeout: float = 60.0) -> None:
        # Imported here: testcontainers (and docker-py) load only when a container is wanted.
        from testcontainers.core.config import testcontainers_config
        from testcontainers.core.container import DockerContainer

        if "TESTCONTAINERS_RYUK_DISABLED" not in os.environ:
            # The reaper is an image from a registry; we remove our container ourselves.
            testcontainers_config.ryuk_disabled = True
        self.image = image or os.environ.get("DRAWBRIDGE_BANK_IMAGE", DEFAULT_IMAGE)
        self.token = token or new_token()
        self.startup_timeout = startup_timeout
        super().__init__(NotStarted(self.image), "")
        # --self-check: the engine's banks check their own answers, in a container as in process
        # The image serves the active core model (--core), every version unless told otherwise.
        command = ["--core", cores.active().spec, "--seed", str(seed),
                   "--customers", str(customers), "--self-check"]
        if versions is not None:
            command += ["--versions", ",".join(versions)]
        if time_scale is not None:
            command += ["--time-scale", repr(time_scale)]
        self.container = DockerContainer(
            self.image, env={"PORT": "0", "DRAWBRIDGE_TOKEN": self.token},
            network_mode="host", labels={"org.drawbridge.role": "fake-core-bank"},
        ).with_command(command)
        self._started = False

    def start(self) -> FakeCoreBankContainer:
        """Run the container and wait until its control API answers ``/_control/health``."""
        try:
            self.container.start()
        except Exception as exc:  # docker-py raises many types: one message for all
            with contextlib.suppress(Exception):
                self.container.stop()  # a container created but not started
            raise ContainerStartError(f"cannot start image {self.image!r}: {exc}; build it "
                                      "(.ci/containers.sh) or set DRAWBRIDGE_BANK_IMAGE") from exc
        self._started = True
        try:
            url = self._wait_for_url()
            self.transport = ControlClient(url, self.token)
            self.base_url = url
            self._wait_for_health()
        except BaseException:
            self.close()
            raise
        return self

    def _logs(self) -> str:
        stdout, stderr = self.container.get_logs()
        return (stdout + stderr).decode("utf-8", "replace")

    def _fail(self, problem: str) -> ContainerStartError:
        tail = "\n".join(self._logs().splitlines()[-15:])
        return ContainerStartError(f"fake bank container {self.image!r}: {problem}\n{tail}")

    def _wait_for_url(self) -> str:
        deadline = time.monotonic() + self.startup_timeout
        wrapped = self.container.get_wrapped_container()
        while time.monotonic() < deadline:
            match = READY_LINE.search(self._logs())
            if match:
                return match.group(1)
            wrapped.reload()
            if wrapped.status in ("exited", "dead"):
                raise self._fail(f"exited before serving (status {wrapped.status})")
            time.sleep(0.1)
        raise self._fail(f"no 'fake core bank: URL' line within {self.startup_timeout:g}s")

    def _wait_for_health(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        last = "no answer"
        while time.monotonic() < deadline:
            try:
                self.health()
                return
            except (httpx.HTTPError, RuntimeError) as exc:
                last = str(exc)
            time.sleep(0.1)
        raise self._fail(f"/_control/health did not answer 200 within "
                         f"{self.startup_timeout:g}s (last: {last})")

    def close(self) -> None:
        """Close the control client and remove the container (idempotent)."""
        super().close()
        if self._started:
            self._started = False
            self.container.stop()

    def __enter__(self) -> FakeCoreBankContainer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
