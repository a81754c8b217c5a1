"""The engine's handle on a fake bank: in this process, or behind its control API elsewhere.

Both offer the same helpers, so the engine (and the pytest fixtures) cannot tell whether the bank
runs in a thread here or in a container.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Protocol

import httpx

from fake_core_bank import cores
from fake_core_bank.fake import BankConfig, FakeBank
from fake_core_bank.http.control import JOURNAL_PAGE
from fake_core_bank.server import BankServer
from harness.redaction import header_policy


class BankHandle(Protocol):
    base_url: str

    def run_url(self) -> str:
        """The URL a scenario run's connector is given: requests through it that arrive after
        the next reset are refused (fenced) where the bank can tell, never booked."""
        ...

    def reset(self, config: BankConfig) -> None: ...
    def load_state(self, data: dict[str, Any]) -> None: ...
    def snapshot(self) -> dict[str, Any]: ...
    def journal(self) -> list[dict[str, Any]]: ...
    def now(self) -> datetime: ...
    def set_clock(self, when: datetime) -> None: ...
    def advance_clock(self, by: timedelta) -> None: ...
    def set_line_status(self, line: str, status: str, locked_until: datetime | None = None,
                        reason: str | None = None) -> None: ...
    def satisfy_precondition(self, line: str, code: str) -> None: ...
    def schedule_maintenance(self, start: datetime, end: datetime, mode: str) -> None: ...
    def put_policy(self, data: dict[str, Any]) -> None: ...
    def remove_policy(self, policy_id: str) -> None: ...
    def external_drawdown(self, line: str, amount: int) -> None: ...
    def settle_pending(self) -> None: ...
    def serve_versions(self, versions: tuple[str, ...]) -> None: ...
    def upgrade(self, to: str, retire: tuple[str, ...] = (),
                sunset: datetime | None = None, in_place: bool = False) -> None: ...
    def rollback(self, to: str) -> None: ...
    def rolling_upgrade(self, from_version: str, to: str, share: float,
                        seed: int | None = None) -> None: ...
    def complete_rollout(self) -> None: ...
    def inject_fault(self, kind: str, operation_id: str | None, method: str | None,
                     line: str | None, times: int, status: int, delay_seconds: float) -> None: ...
    def begin_operation(self, name: str) -> None: ...
    def end_operation(self) -> None: ...
    def close(self) -> None: ...


class LocalBank:
    """A :class:`FakeBank` served on loopback by a :class:`BankServer` in this process."""

    def __init__(self, config: BankConfig | None = None) -> None:
        # The bank's journal keeps the header values this process's artefacts may keep
        # (--keep-header/--redact-header), so the journal never holds more than they show.
        self.server = BankServer(config, headers=header_policy()).start()
        self.bank: FakeBank = self.server.bank
        self.base_url = self.server.base_url

    def run_url(self) -> str:
        return self.base_url + self.bank.run_prefix()

    def reset(self, config: BankConfig) -> None:
        self.bank.config = config
        self.bank.reset()

    def load_state(self, data: dict[str, Any]) -> None:
        self.bank.load_state(data)

    def snapshot(self) -> dict[str, Any]:
        return self.bank.snapshot()

    def journal(self) -> list[dict[str, Any]]:
        return self.bank.journal.dicts()

    def now(self) -> datetime:
        return self.bank.clock.now()

    def set_clock(self, when: datetime) -> None:
        self.bank.set_clock(when)

    def advance_clock(self, by: timedelta) -> None:
        self.bank.advance_clock(by)

    def set_line_status(self, line: str, status: str, locked_until: datetime | None = None,
                        reason: str | None = None) -> None:
        self.bank.set_line_status(line, status, locked_until=locked_until, reason=reason)

    def satisfy_precondition(self, line: str, code: str) -> None:
        self.bank.satisfy_precondition(line, code)

    def schedule_maintenance(self, start: datetime, end: datetime, mode: str) -> None:
        self.bank.schedule_maintenance(start, end, mode)

    def put_policy(self, data: dict[str, Any]) -> None:
        self.bank.put_policy(data)

    def remove_policy(self, policy_id: str) -> None:
        self.bank.remove_policy(policy_id)

    def external_drawdown(self, line: str, amount: int) -> None:
        self.bank.external_drawdown(line, amount)

    def settle_pending(self) -> None:
        self.bank.settle_pending()

    def serve_versions(self, versions: tuple[str, ...]) -> None:
        self.bank.serve_versions(versions)

    def upgrade(self, to: str, retire: tuple[str, ...] = (),
                sunset: datetime | None = None, in_place: bool = False) -> None:
        self.bank.upgrade(to, retire=retire, sunset=sunset, in_place=in_place)

    def rollback(self, to: str) -> None:
        self.bank.rollback(to)

    def rolling_upgrade(self, from_version: str, to: str, share: float,
                        seed: int | None = None) -> None:
        self.bank.rolling_upgrade(from_version, to, share, seed)

    def complete_rollout(self) -> None:
        self.bank.complete_rollout()

    def inject_fault(self, kind: str, operation_id: str | None, method: str | None,
                     line: str | None, times: int, status: int, delay_seconds: float) -> None:
        self.bank.inject_fault(kind, operation_id=operation_id, method=method, line=line,
                               times=times, status=status, delay_seconds=delay_seconds)

    def begin_operation(self, name: str) -> None:
        self.bank.begin_operation(name)

    def end_operation(self) -> None:
        self.bank.end_operation()

    def close(self) -> None:
        self.server.stop()


class RemoteBank:
    """A fake bank elsewhere (another process, a container), driven through ``/_control``."""

    def __init__(self, base_url: str, token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        headers = {"authorization": f"Bearer {token}"} if token else {}
        self.client = httpx.Client(base_url=self.base_url + "/_control", headers=headers,
                                   timeout=30.0)

    def run_url(self) -> str:
        return self.base_url  # the control API does not say the run's epoch: not fenced

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self.client.request(method, path, json=body)
        if response.status_code >= 400:
            raise RuntimeError(f"control API {method} {path}: {response.status_code} "
                               f"{response.text[:300]}")
        return response.json()

    def reset(self, config: BankConfig) -> None:
        self._call("POST", "/reset", {
            "seed": config.seed, "customers": config.customers,
            "versions": list(cores.active().versions if config.versions is None
                             else config.versions), "start": config.start.isoformat(),
            "timeScale": config.time_scale, "messageVariants": config.message_variants,
            "settleAfterPolls": config.settle_after_polls, "additive": config.additive})

    def load_state(self, data: dict[str, Any]) -> None:
        self._call("POST", "/state", data)

    def snapshot(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "/state")
        return result

    def journal(self) -> list[dict[str, Any]]:
        """Every entry, page by page (the control API sends at most a page per call)."""
        entries: list[dict[str, Any]] = []
        while True:
            page: list[dict[str, Any]] = self._call(
                "GET", f"/journal?since={entries[-1]['seq'] if entries else 0}")
            entries.extend(page)
            if len(page) < JOURNAL_PAGE:
                return entries

    def now(self) -> datetime:
        return datetime.fromisoformat(self._call("GET", "/clock")["now"])

    def set_clock(self, when: datetime) -> None:
        self._call("PUT", "/clock", {"now": when.isoformat()})

    def advance_clock(self, by: timedelta) -> None:
        self._call("POST", "/clock/advance", {"seconds": by.total_seconds()})

    def set_line_status(self, line: str, status: str, locked_until: datetime | None = None,
                        reason: str | None = None) -> None:
        self._call("PUT", f"/lines/{line}/status", {
            "status": status, "reason": reason,
            "lockedUntil": locked_until.isoformat() if locked_until else None})

    def satisfy_precondition(self, line: str, code: str) -> None:
        self._call("POST", f"/lines/{line}/preconditions/{code}/satisfy")

    def schedule_maintenance(self, start: datetime, end: datetime, mode: str) -> None:
        self._call("POST", "/maintenance", {"start": start.isoformat(), "end": end.isoformat(),
                                            "mode": mode})

    def put_policy(self, data: dict[str, Any]) -> None:
        self._call("POST", "/policies", data)

    def remove_policy(self, policy_id: str) -> None:
        self._call("DELETE", f"/policies/{policy_id}")

    def external_drawdown(self, line: str, amount: int) -> None:
        self._call("POST", f"/lines/{line}/external-drawdowns", {"amount": amount})

    def settle_pending(self) -> None:
        self._call("POST", "/settle")

    def serve_versions(self, versions: tuple[str, ...]) -> None:
        self._call("PUT", "/versions", {"serve": list(versions)})

    def upgrade(self, to: str, retire: tuple[str, ...] = (),
                sunset: datetime | None = None, in_place: bool = False) -> None:
        self._call("POST", "/versions/upgrade", {
            "to": to, "retire": list(retire), "sunset": sunset.isoformat() if sunset else None,
            "inPlace": in_place})

    def rollback(self, to: str) -> None:
        self._call("POST", "/versions/rollback", {"to": to})

    def rolling_upgrade(self, from_version: str, to: str, share: float,
                        seed: int | None = None) -> None:
        self._call("POST", "/versions/rolling-upgrade",
                   {"from": from_version, "to": to, "share": share, "seed": seed})

    def complete_rollout(self) -> None:
        self._call("POST", "/versions/complete-rollout")

    def inject_fault(self, kind: str, operation_id: str | None, method: str | None,
                     line: str | None, times: int, status: int, delay_seconds: float) -> None:
        self._call("POST", "/faults", {
            "kind": kind, "operationId": operation_id, "method": method, "line": line,
            "times": times, "status": status, "delaySeconds": delay_seconds})

    def begin_operation(self, name: str) -> None:
        self._call("POST", "/operations/begin", {"name": name})

    def end_operation(self) -> None:
        self._call("POST", "/operations/end")

    def close(self) -> None:
        self.client.close()
