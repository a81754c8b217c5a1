"""The engine's handle on a fake bank: one class of helpers over a small transport.

:class:`Bank` writes each control helper once: it names a command of
:data:`fake_core_bank.http.commands.COMMANDS` and its body. A transport carries it:
:class:`InProcess` runs the command table on a :class:`FakeBank` of this process,
:class:`ControlClient` sends it to the bank's control API (another process, a container). Both
run the same table, so the engine (and the pytest fixtures) cannot tell where the bank is: the
same bodies are taken, the same ones refused with the same words. Every bank kind is a
:class:`Bank` with its own lifecycle: :class:`LocalBank` (served on loopback in this process),
:class:`RemoteBank` (a URL), ``harness.playback.ResponsesBank``, ``harness.pytest_bank.PluginBank``,
``harness.mutate.bank.MutantBank``, ``harness.engine.containers.FakeCoreBankContainer``.

The journal is read from a cursor (:class:`JournalCursor`): the engine asks for the entries after
the last one it has, never the whole journal again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

import httpx

from fake_core_bank import cores
from fake_core_bank.fake import BankConfig, FakeBank
from fake_core_bank.http.app import BankApp
from fake_core_bank.http.commands import COMMANDS, JOURNAL_PAGE, Command, Params, execute
from fake_core_bank.http.control import PREFIX
from fake_core_bank.server import BankServer
from harness.redaction import header_policy


class Transport(Protocol):
    """How a :class:`Bank`'s commands reach the fake bank."""

    def send(self, command: Command, params: Params, body: dict[str, Any] | None) -> Any:
        """Run ``command``; its answer (None when the bank only says ``ok``)."""
        ...

    def journal(self, since: int) -> list[dict[str, Any]]:
        """Every journal entry after seq ``since``, oldest first."""
        ...

    def run_prefix(self) -> str:
        """The path prefix of the current scenario run's requests, or "" when not known."""
        ...

    def close(self) -> None: ...


class InProcess:
    """Commands run on a :class:`FakeBank` in this process, through the control API's table."""

    def __init__(self, bank: FakeBank) -> None:
        self.bank = bank

    def send(self, command: Command, params: Params, body: dict[str, Any] | None) -> Any:
        return execute(self.bank, command, params, body or {})

    def journal(self, since: int) -> list[dict[str, Any]]:
        # only the entries after the cursor are parsed (the journal keeps JSON lines)
        return self.bank.journal.dicts(since)

    def run_prefix(self) -> str:
        return self.bank.run_prefix()

    def close(self) -> None:
        pass


class ControlError(RuntimeError):
    """The control API refused a command: its status and its own words."""


class ControlClient:
    """Commands sent to a bank's control API (``/_control``), optionally with a bearer token."""

    def __init__(self, base_url: str, token: str | None = None, *,
                 page: int = JOURNAL_PAGE) -> None:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        self.client = httpx.Client(base_url=base_url.rstrip("/") + PREFIX, headers=headers,
                                   timeout=30.0)
        self.page = page

    def _call(self, method: str, target: str, body: dict[str, Any] | None = None,
              params: dict[str, int] | None = None) -> httpx.Response:
        response = self.client.request(method, target, json=body, params=params)
        if response.status_code >= 400:
            raise ControlError(f"control API {method} {target}: {response.status_code} "
                               f"{response.text[:300]}")
        return response

    def send(self, command: Command, params: Params, body: dict[str, Any] | None) -> Any:
        answer = self._call(command.method, command.target(params), body).json()
        return None if answer == {"ok": True} else answer

    def journal(self, since: int) -> list[dict[str, Any]]:
        """Page by page (the control API sends at most a page per call), from the cursor."""
        entries: list[dict[str, Any]] = []
        while True:
            response = self._call("GET", COMMANDS["journal"].path,
                                  params={"since": since, "limit": self.page})
            page: list[dict[str, Any]] = response.json()
            entries.extend(page)
            since = int(response.headers.get("journal-next", since))
            if len(page) < self.page:
                return entries

    def run_prefix(self) -> str:
        return ""  # the control API does not say the run's epoch: not fenced

    def close(self) -> None:
        self.client.close()


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when is not None else None


class Bank:
    """A fake bank's control helpers (docs/control-api.md), whatever carries them."""

    def __init__(self, transport: Transport, base_url: str) -> None:
        self.transport = transport
        self.base_url = base_url

    def _send(self, name: str, body: dict[str, Any] | None = None, **params: str) -> Any:
        return self.transport.send(COMMANDS[name], params, body)

    def run_url(self) -> str:
        """The URL a scenario run's connector is given: requests through it that arrive after
        the next reset are refused (fenced) where the bank can tell, never booked."""
        return self.base_url + self.transport.run_prefix()

    def health(self) -> dict[str, Any]:
        result: dict[str, Any] = self._send("health")
        return result

    def reset(self, config: BankConfig) -> None:
        self._send("reset", {
            "seed": config.seed, "customers": config.customers,
            "versions": list(cores.active().live_at_start() if config.versions is None
                             else config.versions), "start": config.start.isoformat(),
            "timeScale": config.time_scale, "messageVariants": config.message_variants,
            "settleAfterPolls": config.settle_after_polls, "additive": config.additive})

    def load_state(self, data: dict[str, Any]) -> None:
        self._send("load_state", data)

    def snapshot(self) -> dict[str, Any]:
        result: dict[str, Any] = self._send("snapshot")
        return result

    def journal(self, since: int = 0) -> list[dict[str, Any]]:
        """The journal entries after seq ``since`` (all of them by default), oldest first."""
        return self.transport.journal(since)

    def now(self) -> datetime:
        return datetime.fromisoformat(self._send("now")["now"])

    def set_clock(self, when: datetime) -> None:
        self._send("set_clock", {"now": when.isoformat()})

    def advance_clock(self, by: timedelta) -> None:
        self._send("advance_clock", {"seconds": by.total_seconds()})

    def set_line_status(self, line: str, status: str, locked_until: datetime | None = None,
                        reason: str | None = None) -> None:
        self._send("set_line_status", {"status": status, "reason": reason,
                                       "lockedUntil": _iso(locked_until)}, line=line)

    def satisfy_precondition(self, line: str, code: str) -> None:
        self._send("satisfy_precondition", line=line, code=code)

    def schedule_maintenance(self, start: datetime, end: datetime, mode: str) -> str:
        """A maintenance window; its id."""
        return str(self._send("schedule_maintenance", {
            "start": start.isoformat(), "end": end.isoformat(), "mode": mode})["id"])

    def put_policy(self, data: dict[str, Any]) -> None:
        self._send("put_policy", data)

    def remove_policy(self, policy_id: str) -> None:
        self._send("remove_policy", policy=policy_id)

    def external_drawdown(self, line: str, amount: int) -> dict[str, Any]:
        """A drawdown booked by another channel; the drawdown as the control API shows it."""
        result: dict[str, Any] = self._send("external_drawdown", {"amount": amount}, line=line)
        return result

    def settle_pending(self) -> list[str]:
        """Settle pending drawdowns; the ids settled."""
        settled: list[str] = self._send("settle_pending")["settled"]
        return settled

    def serve_versions(self, versions: tuple[str, ...]) -> None:
        self._send("serve_versions", {"serve": list(versions)})

    def upgrade(self, to: str, retire: tuple[str, ...] = (),
                sunset: datetime | None = None, in_place: bool = False) -> None:
        self._send("upgrade", {"to": to, "retire": list(retire), "sunset": _iso(sunset),
                               "inPlace": in_place})

    def rollback(self, to: str) -> None:
        self._send("rollback", {"to": to})

    def rolling_upgrade(self, from_version: str, to: str, share: float,
                        seed: int | None = None) -> None:
        self._send("rolling_upgrade", {"from": from_version, "to": to, "share": share,
                                       "seed": seed})

    def complete_rollout(self) -> None:
        self._send("complete_rollout")

    def inject_fault(self, kind: str, operation_id: str | None, method: str | None,
                     line: str | None, times: int, status: int, delay_seconds: float) -> str:
        """A fault on matching connector requests; its id."""
        return str(self._send("inject_fault", {
            "kind": kind, "operationId": operation_id, "method": method, "line": line,
            "times": times, "status": status, "delaySeconds": delay_seconds})["id"])

    def clear_faults(self) -> None:
        self._send("clear_faults")

    def begin_operation(self, name: str) -> None:
        self._send("begin_operation", {"name": name})

    def end_operation(self) -> None:
        self._send("end_operation")

    def close(self) -> None:
        self.transport.close()


#: the name the engine's signatures use for any bank kind
BankHandle = Bank


class JournalCursor:
    """One scenario run's journal as read so far: each :meth:`read` asks the bank only for the
    entries after the last one read (a page from the control API, or the new lines in
    process), so an operation costs its own entries, not the whole journal twice."""

    def __init__(self, bank: Bank) -> None:
        self._bank = bank
        #: every entry read, oldest first
        self.entries: list[dict[str, Any]] = []

    def read(self) -> list[dict[str, Any]]:
        """The entries journaled since the last read (also appended to :attr:`entries`)."""
        since = int(self.entries[-1]["seq"]) if self.entries else 0
        new = self._bank.journal(since)
        self.entries.extend(new)
        return new


class LocalBank(Bank):
    """A :class:`FakeBank` served on loopback by a :class:`BankServer` in this process.

    ``middleware`` wraps the server's app on the wire (``harness.mutate``'s proxy).
    """

    def __init__(self, config: BankConfig | None = None, *,
                 middleware: Callable[[BankApp], Any] | None = None) -> None:
        # The bank's journal keeps the header values this process's artefacts may keep
        # (--keep-header/--redact-header), so the journal never holds more than they show.
        self.server = BankServer(config, headers=header_policy(), middleware=middleware).start()
        self.bank: FakeBank = self.server.bank
        super().__init__(InProcess(self.bank), self.server.base_url)

    def close(self) -> None:
        super().close()
        self.server.stop()


class RemoteBank(Bank):
    """A fake bank elsewhere (another process, a container), driven through ``/_control``."""

    def __init__(self, base_url: str, token: str | None = None) -> None:
        super().__init__(ControlClient(base_url, token), base_url.rstrip("/"))
