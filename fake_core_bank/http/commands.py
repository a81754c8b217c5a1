"""The bank-control commands, once: served by the control API and called in process alike.

A command is the name of its helper on the harness's bank handle (``set_line_status``), the
control API route that carries it (``PUT /lines/{line}/status``) and how it runs on a
:class:`~fake_core_bank.fake.FakeBank` from the route's parameters and JSON body.
:mod:`fake_core_bank.http.control` serves every command of :data:`COMMANDS` over HTTP;
``harness.engine.bank`` runs the same entries in process through :func:`execute`. So a bank in
this process and one behind its control API (another process, a container) take the same
bodies, refuse the same ones with the same words, and a new command is one entry here (plus its
typed helper on ``harness.engine.bank.Bank`` and its row in docs/control-api.md, both tied to
this table by tests).

Bodies are checked whole against :mod:`fake_core_bank.http.control_schema` before anything
changes; a bad one raises :class:`ControlRequestError` (a ``ValueError``), which the control API
answers with 400.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from fake_core_bank.domain.limits import step_problem, time_problem
from fake_core_bank.domain.model import Refusal
from fake_core_bank.domain.state import drawdown_to_dict
from fake_core_bank.errors import DrawbridgeError
from fake_core_bank.fake import FakeBank
from fake_core_bank.http import control_schema

Params = Mapping[str, str]
Body = dict[str, Any]


class ControlRequestError(DrawbridgeError, ValueError):
    """A control request whose body or parameters the command cannot take (the API's 400)."""


@dataclass(frozen=True)
class Command:
    #: the bank handle's helper that sends it
    name: str
    method: str
    #: the route under ``/_control``, with ``{placeholders}`` for the params
    path: str
    #: runs it on a bank: (bank, route and query params, body) -> the answer (None: ``ok``)
    run: Callable[[FakeBank, Params, Body], Any]

    def target(self, params: Params) -> str:
        """The route with ``params`` filled in (each one quoted), e.g. ``/lines/CL1/status``."""
        return self.path.format(**{k: quote(v, safe="") for k, v in params.items()})


def execute(bank: FakeBank, command: Command, params: Params, body: Body) -> Any:
    """Check ``body`` against the command's schema, then run it on ``bank``."""
    problem = control_schema.problem(command.method, command.path, body, bank.model.versions)
    if problem is not None:
        raise ControlRequestError(problem)
    return command.run(bank, params, body)


def _time(body: Body, key: str) -> datetime:
    value = body.get(key)
    if not isinstance(value, str):
        raise ControlRequestError(f"{key}: expected an ISO 8601 time with offset")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ControlRequestError(f"{key}: {value[:64]!r} is not an ISO 8601 time, e.g. "
                                "2026-03-02T09:00:00+08:00") from None
    problem = time_problem(parsed)
    if problem is not None:
        raise ControlRequestError(f"{key}: {problem}")
    return parsed


def _seconds(bank: FakeBank, seconds: float, key: str) -> timedelta:
    """A clock move the bank's range can take from now."""
    by = timedelta(seconds=seconds)
    problem = step_problem(bank.clock.now(), by)
    if problem is not None:
        raise ControlRequestError(f"{key}: {problem}")
    return by


#: entries in one page of ``GET /_control/journal`` unless ``limit`` asks for fewer or more
JOURNAL_PAGE = 10_000


def journal_page(since: str | None, limit: str | None) -> tuple[int, int]:
    """``since`` (the seq of the last entry already read) and ``limit`` of a journal page."""
    try:
        cursor = int(since or "0")
        count = int(limit) if limit else JOURNAL_PAGE
    except ValueError:
        raise ControlRequestError("journal: since and limit must be whole numbers, e.g. "
                                "?since=0&limit=1000") from None
    if cursor < 0 or count < 1:
        raise ControlRequestError("journal: since must be 0 or more and limit 1 or more")
    return cursor, count


@dataclass(frozen=True)
class JournalPage:
    """A page of the journal as kept (JSON documents, not parsed) and its cursors."""

    next: int  # the seq of the last entry in it (``since`` when it is empty)
    dropped: int  # entries a bounded ``drop`` journal has dropped so far
    documents: list[bytes]


def _journal(bank: FakeBank, p: Params, _b: Body) -> JournalPage:
    since, limit = journal_page(p.get("since"), p.get("limit"))
    last, docs = bank.journal.documents(since, limit)
    return JournalPage(last, bank.journal.dropped, docs)


def _health(bank: FakeBank, _p: Params, _b: Body) -> dict[str, Any]:
    journal = bank.journal
    return {"status": "ok", "versions": bank.versions.snapshot(),
            "selfCheck": bank.config.validate_responses,
            "journal": {"entries": len(journal), "inMemory": journal.in_memory,
                        "memoryLimit": bank.config.journal_limit,
                        "overflow": journal.overflow, "spillError": journal.spill_error,
                        "dropped": journal.dropped},
            "ledger": _ledger_health(bank)}


def _ledger_health(bank: FakeBank) -> dict[str, Any]:
    with bank.core.lock:
        ledger = bank.core.ledger
        return {"bookings": ledger.in_memory + ledger.spilled, "inMemory": ledger.in_memory,
                "memoryLimit": bank.config.ledger_limit, "spilled": ledger.spilled,
                "spillError": ledger.spill_error, "readError": ledger.read_error}


#: reset's body keys, the BankConfig field each sets and its JSON type
_RESET_FIELDS: tuple[tuple[str, str, type], ...] = (
    ("seed", "seed", int), ("customers", "customers", int), ("timeScale", "time_scale", float),
    ("messageVariants", "message_variants", bool), ("settleAfterPolls", "settle_after_polls", int),
    ("additive", "additive", bool))


def _reset(bank: FakeBank, _p: Params, b: Body) -> None:
    overrides: dict[str, Any] = {}
    for key, attr, wanted in _RESET_FIELDS:
        if key in b:
            value = b[key]
            if isinstance(value, bool) != (wanted is bool) or not isinstance(
                    value, wanted if wanted is not float else (int, float)):
                raise ControlRequestError(f"{key}: expected {wanted.__name__}, got {value!r}")
            overrides[attr] = value
    if "versions" in b:
        overrides["versions"] = tuple(b["versions"])
    if "start" in b:
        overrides["start"] = _time(b, "start")
    bank.reset(**overrides)


def _load_state(bank: FakeBank, _p: Params, b: Body) -> None:
    """Load into a scratch bank first: a snapshot that cannot load changes nothing."""
    if b.get("clock"):
        _time(b, "clock")
    scratch = FakeBank(replace(bank.config, customers=0, journal_path=None), model=bank.model)
    scratch.load_state({k: v for k, v in bank.snapshot().items() if k != "versions"})
    try:
        scratch.load_state(b)
    except Refusal:
        raise
    except Exception as exc:  # noqa: BLE001 -- any shape problem of a snapshot is a 400
        raise ControlRequestError(f"state: cannot load it: {type(exc).__name__}: {exc}"[:300]) \
            from None
    bank.load_state(b)


def _put_policy(bank: FakeBank, _p: Params, b: Body) -> None:
    _time(b, "effective")  # in the bank's range
    bank.put_policy(b)


def _maintenance(bank: FakeBank, _p: Params, b: Body) -> dict[str, Any]:
    start = _time(b, "start") if "start" in b else bank.clock.now()
    if "end" in b:
        end = _time(b, "end")
    else:
        by = timedelta(seconds=float(b["durationSeconds"]))
        problem = step_problem(start, by)
        if problem is not None:
            raise ControlRequestError(f"durationSeconds: {problem}")
        end = start + by
    if end <= start:
        raise ControlRequestError(f"end: {end.isoformat()} is not after start "
                                  f"{start.isoformat()}")
    window = bank.schedule_maintenance(start, end, b.get("mode", "FULL"))
    return {"id": window.window_id}


def _line_status(bank: FakeBank, p: Params, b: Body) -> None:
    until = _time(b, "lockedUntil") if b.get("lockedUntil") else None
    bank.set_line_status(p["line"], b["status"], locked_until=until, reason=b.get("reason"))


def _fault(bank: FakeBank, _p: Params, b: Body) -> dict[str, Any]:
    fault = bank.inject_fault(b["kind"], operation_id=b.get("operationId"),
                              method=b.get("method"), line=b.get("line"),
                              times=int(b.get("times", 1)), status=int(b.get("status", 500)),
                              delay_seconds=float(b.get("delaySeconds", 0.0)))
    return {"id": fault.fault_id}


def _upgrade(bank: FakeBank, _p: Params, b: Body) -> None:
    bank.upgrade(b["to"], retire=tuple(b.get("retire") or ()),
                 sunset=_time(b, "sunset") if b.get("sunset") else None,
                 in_place=bool(b.get("inPlace", False)))


def _external(bank: FakeBank, p: Params, b: Body) -> dict[str, Any]:
    return drawdown_to_dict(bank.external_drawdown(p["line"], int(b["amount"])))


_COMMANDS = (
    Command("health", "GET", "/health", _health),
    Command("reset", "POST", "/reset", _reset),
    Command("snapshot", "GET", "/state", lambda bank, _p, _b: bank.snapshot()),
    Command("load_state", "POST", "/state", _load_state),
    Command("set_line_status", "PUT", "/lines/{line}/status", _line_status),
    Command("satisfy_precondition", "POST", "/lines/{line}/preconditions/{code}/satisfy",
            lambda bank, p, _b: bank.satisfy_precondition(p["line"], p["code"])),
    Command("external_drawdown", "POST", "/lines/{line}/external-drawdowns", _external),
    Command("settle_pending", "POST", "/settle",
            lambda bank, _p, _b: {"settled": bank.settle_pending()}),
    Command("schedule_maintenance", "POST", "/maintenance", _maintenance),
    Command("put_policy", "POST", "/policies", _put_policy),
    Command("remove_policy", "DELETE", "/policies/{policy}",
            lambda bank, p, _b: bank.remove_policy(p["policy"])),
    Command("now", "GET", "/clock", lambda bank, _p, _b: {
        "now": bank.clock.now().isoformat(), "timeScale": bank.clock.time_scale}),
    Command("set_clock", "PUT", "/clock", lambda bank, _p, b: bank.set_clock(_time(b, "now"))),
    Command("advance_clock", "POST", "/clock/advance", lambda bank, _p, b: bank.advance_clock(
        _seconds(bank, float(b["seconds"]), "seconds"))),
    Command("serve_versions", "PUT", "/versions",
            lambda bank, _p, b: bank.serve_versions(tuple(b["serve"]))),
    Command("upgrade", "POST", "/versions/upgrade", _upgrade),
    Command("rollback", "POST", "/versions/rollback", lambda bank, _p, b: bank.rollback(b["to"])),
    Command("rolling_upgrade", "POST", "/versions/rolling-upgrade",
            lambda bank, _p, b: bank.rolling_upgrade(b["from"], b["to"], float(b["share"]),
                                                     b.get("seed"))),
    Command("complete_rollout", "POST", "/versions/complete-rollout",
            lambda bank, _p, _b: bank.complete_rollout()),
    Command("inject_fault", "POST", "/faults", _fault),
    Command("clear_faults", "DELETE", "/faults", lambda bank, _p, _b: bank.clear_faults()),
    Command("journal", "GET", "/journal", _journal),
    Command("begin_operation", "POST", "/operations/begin",
            lambda bank, _p, b: bank.begin_operation(b["name"])),
    Command("end_operation", "POST", "/operations/end", lambda bank, _p, _b: bank.end_operation()),
)

#: every command by its helper's name, in the control API's (and its docs') order
COMMANDS: dict[str, Command] = {command.name: command for command in _COMMANDS}
