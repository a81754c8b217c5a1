"""The fake bank as one object: the domain core plus versions, faults and the journal.

This is what the HTTP app serves and what the control API (and the in-process harness) drives.
Every control action is journaled too, so a report can draw maintenance windows and version
switches on the same timeline as the connector's requests.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from fake_core_bank import cores
from fake_core_bank.cores import CoreModel
from fake_core_bank.domain import state
from fake_core_bank.domain.bank import BANK_TZ, CoreBank
from fake_core_bank.domain.clock import DEFAULT_TIME_SCALE, Clock
from fake_core_bank.domain.faults import Fault, FaultPlan
from fake_core_bank.domain.ids import IdGenerator
from fake_core_bank.domain.journal import Journal, JournalEntry
from fake_core_bank.domain.journal_store import Overflow
from fake_core_bank.domain.model import (
    Drawdown,
    LineStatus,
    MaintenanceWindow,
    Reason,
    Refusal,
)
from fake_core_bank.domain.seeding import seed_enterprises
from fake_core_bank.domain.versions import VersionPlan

#: Where the virtual clock starts unless told otherwise: a Monday morning in Beijing.
DEFAULT_START = datetime(2026, 3, 2, 9, 0, tzinfo=BANK_TZ)


#: a scenario run's requests go through ``/_run/<epoch>`` (:meth:`FakeBank.run_prefix`): the fence
RUN_PREFIX = "/_run/"


@dataclass(frozen=True)
class BankConfig:
    """Everything that makes two fake banks identical. Same config, same answers."""

    seed: int = 0
    #: the versions live at the start (None: every version of the core model)
    versions: tuple[str, ...] | None = None
    customers: int = 0
    start: datetime = DEFAULT_START
    time_scale: float = DEFAULT_TIME_SCALE
    message_variants: bool = True
    settle_after_polls: int = 1
    validate_responses: bool = True
    journal_path: Path | None = None
    #: entries kept in memory (None: all); older ones go to a spill file or are dropped
    journal_limit: int | None = None
    journal_overflow: Overflow = "spill"
    #: final bookings kept in memory (None: all); older ones spill to a temporary database
    ledger_limit: int | None = None
    #: a minor release of the core: answers carry fields and enum values the contract does not
    #: list yet (the tolerant-reader scenarios); the journal marks them as intended drift
    additive: bool = False


class FakeBank:
    """A fake core bank; ``reset()`` returns it to its configuration's initial state."""

    def __init__(self, config: BankConfig | None = None, *,
                 model: CoreModel | None = None) -> None:
        #: the core model whose API this bank serves (docs/core-models.md)
        self.model = model or cores.active()
        self.config = config or BankConfig()
        self.journal = Journal(self.config.journal_path, limit=self.config.journal_limit,
                               overflow=self.config.journal_overflow)
        #: scenario runs so far: each reset starts a new one; a request addressed to an earlier
        #: one (``/_run/<epoch>/...``, see :meth:`run_prefix`) is refused and journaled, never
        #: served
        self.epoch = 0
        self.reset()

    # -- lifecycle ----------------------------------------------------------------------------
    def run_prefix(self) -> str:
        """The path prefix of this scenario run's requests: ``/_run/<epoch>``."""
        return f"{RUN_PREFIX}{self.epoch}"

    def reset(self, **overrides: Any) -> None:
        """Start over: new clock, ledger, versions and faults; the journal is emptied.

        Atomic for the configuration: when the overrides cannot build a bank, the previous
        configuration is restored (and rebuilt) before the error propagates, so one bad reset
        never breaks the next (issue 15 item 11).
        """
        previous = self.config
        self.epoch += 1  # a new scenario run: requests of earlier runs are fenced
        if overrides:
            self.config = replace(self.config, **overrides)
        try:
            self._build()
        except Exception:
            self.config = previous
            self._build()
            raise

    def _build(self) -> None:
        cfg = self.config
        self.clock = Clock(cfg.start, time_scale=cfg.time_scale)
        self.ids = IdGenerator()
        previous: CoreBank | None = getattr(self, "core", None)
        if previous is not None:
            previous.close()  # its spill database (a file) goes now, not when collected
        self.core = CoreBank(self.clock, self.ids, seed=cfg.seed,
                             message_variants=cfg.message_variants,
                             settle_after_polls=cfg.settle_after_polls,
                             ledger_limit=cfg.ledger_limit)
        side_by_side = self.model.evolution.side_by_side
        live = cfg.versions if cfg.versions is not None else self.model.live_at_start()
        for version in live:
            self.model.check_version("versions", version)
        self._allowed("serve versions side by side", len(live) <= 1 or side_by_side)
        self.versions = VersionPlan(self.model.versions, live)
        self.versions.serve(live, cfg.start)
        self.faults = FaultPlan()
        self.journal.clear()
        self.fault_ids = 0
        if cfg.customers:
            seed_enterprises(self.core, cfg.customers, cfg.seed,
                             expires_on=date(cfg.start.year + 1, cfg.start.month, 1))

    def _control(self, note: str, **details: Any) -> None:
        self.journal.append(JournalEntry(seq=0, at=self.clock.now().isoformat(), kind="control",
                                         operation=self.core.operation, note=note,
                                         request_body=details or None))

    # -- state --------------------------------------------------------------------------------
    def load_state(self, data: dict[str, Any]) -> None:
        state.load(self.core, data)
        self._control("load-state", customers=len(data.get("customers", [])),
                      lines=len(data.get("lines", [])))

    def snapshot(self) -> dict[str, Any]:
        data = state.snapshot(self.core)
        data["versions"] = self.versions.snapshot()
        return data

    def set_line_status(self, line_id: str, status: str, *, locked_until: datetime | None = None,
                        reason: str | None = None) -> None:
        self.core.set_status(line_id, LineStatus(status), locked_until=locked_until,
                             lock_reason=reason)
        self._control("line-status", line=line_id, status=status,
                      lockedUntil=locked_until.isoformat() if locked_until else None)

    def satisfy_precondition(self, line_id: str, code: str) -> None:
        self.core.satisfy_precondition(line_id, code)
        self._control("satisfy-precondition", line=line_id, code=code)

    def schedule_maintenance(self, start: datetime, end: datetime,
                             mode: str = "FULL") -> MaintenanceWindow:
        window = self.core.schedule_maintenance(start, end, mode.upper().replace("-", "_"))
        self._control("maintenance", id=window.window_id, start=start.isoformat(),
                      end=end.isoformat(), mode=window.mode)
        return window

    def put_policy(self, data: dict[str, Any]) -> None:
        self.core.put_policy(state.policy_from_dict(data))
        self._control("policy", **data)

    def remove_policy(self, policy_id: str) -> None:
        self.core.remove_policy(policy_id)
        self._control("remove-policy", id=policy_id)

    def external_drawdown(self, line_id: str, amount: int) -> Drawdown:
        drawdown = self.core.external_drawdown(line_id, amount)
        self._control("external-drawdown", line=line_id, amount=amount,
                      drawdownId=drawdown.drawdown_id)
        return drawdown

    def settle_pending(self) -> list[str]:
        settled = self.core.settle_pending()
        self._control("settle", drawdowns=settled)
        return settled

    # -- time ---------------------------------------------------------------------------------
    def set_clock(self, when: datetime) -> None:
        self.clock.set(when)
        self._control("clock-set", now=when.isoformat())

    def advance_clock(self, by: timedelta) -> None:
        self.clock.advance(by)
        self._control("clock-advance", seconds=by.total_seconds())

    # -- versions -----------------------------------------------------------------------------
    def _allowed(self, rule: str, allowed: bool) -> None:
        """Refuse a version change the core model's evolution rules exclude (a control request
        answered 409 with this line; docs/core-models.md, "Evolution")."""
        if not allowed:
            raise Refusal(Reason.INVALID_REQUEST, f"core {self.model.name} does not {rule} "
                          "(its CoreModel.evolution says so)")

    def serve_versions(self, versions: tuple[str, ...]) -> None:
        for version in versions:
            self.model.check_version("serve", version)
        self._allowed("serve versions side by side",
                      len(versions) <= 1 or self.model.evolution.side_by_side)
        self.versions.serve(versions, self.clock.now())
        self._control("serve", versions=list(versions))

    def upgrade(self, to: str, *, retire: tuple[str, ...] = (),
                sunset: datetime | None = None, in_place: bool = False) -> None:
        for version in (to, *retire):
            self.model.check_version("upgrade", version)
        self._allowed("retire versions", not retire or self.model.evolution.retire)
        self._allowed("upgrade in place", not in_place or self.model.evolution.in_place)
        self.versions.upgrade(to, self.clock.now(), retire=retire, sunset=sunset,
                              in_place=in_place)
        self._control("upgrade", to=to, retire=list(retire), inPlace=in_place)

    def rollback(self, to: str) -> None:
        self.model.check_version("rollback", to)
        self._allowed("roll back", self.model.evolution.rollback)
        self.versions.rollback(to)
        self._control("rollback", to=to)

    def rolling_upgrade(self, from_version: str, to: str, share: float,
                        seed: int | None = None) -> None:
        for version in (from_version, to):
            self.model.check_version("rolling-upgrade", version)
        self.versions.start_rollout(from_version, to, share,
                                    self.config.seed if seed is None else seed)
        self._control("rolling-upgrade", **{"from": from_version, "to": to, "share": share})

    def complete_rollout(self) -> None:
        self.versions.complete_rollout(self.clock.now())
        self._control("complete-rollout")

    # -- faults -------------------------------------------------------------------------------
    def inject_fault(self, kind: str, *, operation_id: str | None = None,
                     method: str | None = None, line: str | None = None, times: int = 1,
                     status: int = 500, delay_seconds: float = 0.0) -> Fault:
        self.fault_ids += 1
        fault = self.faults.add(Fault(str(self.fault_ids), kind, operation_id, method, line,
                                      times, status, delay_seconds))
        self._control("fault", kind=kind, operationId=operation_id, line=line, times=times)
        return fault

    def clear_faults(self) -> None:
        self.faults.clear()

    # -- connector operations (business intents) ------------------------------------------------
    def begin_operation(self, name: str) -> None:
        """A connector operation starts: tag its traffic and let the clock follow wall time."""
        self.core.operation = name
        self.clock.begin_operation()
        self._control("operation-begin", name=name)

    def end_operation(self) -> None:
        self.clock.end_operation()
        self._control("operation-end", name=self.core.operation)
        self.core.operation = None

    def rng(self, purpose: str) -> random.Random:
        return random.Random(f"{purpose}:{self.config.seed}")
