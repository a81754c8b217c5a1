"""The core bank's ledger and rules: one object, pure and thread-safe.

Every public method takes the bank lock, so concurrent requests see a serial history: no
drawdown can take a line beyond its limit and one idempotency key books at most once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import TypeVar

from fake_core_bank.domain.calendar import MaintenanceCalendar
from fake_core_bank.domain.clock import Clock
from fake_core_bank.domain.ids import IdGenerator
from fake_core_bank.domain.ledger_codec import Fingerprint
from fake_core_bank.domain.ledger_store import LedgerStore
from fake_core_bank.domain.messages import MessageSource
from fake_core_bank.domain.model import (
    CreditLine,
    Customer,
    Drawdown,
    DrawdownStatus,
    LineStatus,
    MaintenanceWindow,
    Policy,
    Reason,
    Refusal,
    Repayment,
)
from fake_core_bank.domain.policy import PolicyBook

#: The bank keeps its books in China Standard Time: business dates and expiry dates are local.
BANK_TZ = timezone(timedelta(hours=8), "CST")

#: Statuses that refuse a drawdown, and the reason each gives.
BLOCKING = {
    LineStatus.FROZEN: Reason.LINE_FROZEN,
    LineStatus.PENDING_ACTIVATION: Reason.LINE_PENDING_ACTIVATION,
    LineStatus.LOCKED: Reason.LINE_LOCKED,
    LineStatus.EXPIRED: Reason.LINE_EXPIRED,
    LineStatus.SUSPENDED: Reason.LINE_SUSPENDED,
}


@dataclass(frozen=True)
class DrawdownRequest:
    line_id: str
    amount: int
    currency: str
    beneficiary_account: str
    purpose_code: str | None = None
    idempotency_key: str | None = None
    asynchronous: bool = False

    def fingerprint(self) -> tuple[object, ...]:
        return (self.line_id, self.amount, self.currency, self.beneficiary_account,
                self.purpose_code)


class CoreBank:
    """The fake core system's state and rules.

    >>> from datetime import datetime
    >>> bank = CoreBank(Clock(datetime(2026, 3, 2, 9, tzinfo=BANK_TZ)), IdGenerator(), seed=1)
    >>> acct = "6222000011112222"
    >>> _ = bank.add_customer(Customer("ENT000001", "某公司", "91350100M000100Y43", "350100", acct))
    >>> line = bank.add_line(CreditLine("CL000001", "ENT000001", "CNY", 30_000_000, 0,
    ...                                 LineStatus.ACTIVE, date(2027, 3, 1)))
    >>> dd, replayed = bank.draw_down(DrawdownRequest("CL000001", 5_000_000, "CNY", acct))
    >>> bank.get_line("CL000001").available
    25000000
    """

    def __init__(
        self,
        clock: Clock,
        ids: IdGenerator,
        *,
        seed: int = 0,
        message_variants: bool = True,
        settle_after_polls: int = 1,
        ledger_limit: int | None = None,
    ) -> None:
        self.clock = clock
        self.ids = ids
        self.seed = seed
        self.messages = MessageSource(seed, variants=message_variants)
        self.settle_after_polls = settle_after_polls
        self.lock = threading.RLock()
        self.customers: dict[str, Customer] = {}
        self.lines: dict[str, CreditLine] = {}
        self.lines_by_customer: dict[str, list[str]] = {}
        #: the bookings: the newest in memory, older final ones spilled beyond ``ledger_limit``
        self.ledger = LedgerStore(ledger_limit)
        self.policies = PolicyBook()
        self.calendar = MaintenanceCalendar()
        #: the connector operation (business intent) the harness says is running
        self.operation: str | None = None
        #: (clock value, its business date): the clock hands out the same object until it
        #: moves, so every read between two moves skips the timezone conversion (issue 8)
        self._today: tuple[datetime | None, date] = (None, date.min)
        clock.use_boundaries(self.boundaries)

    def close(self) -> None:
        """Free the ledger's spill database; the bank is empty of bookings afterwards."""
        with self.lock:
            self.ledger.close()

    # -- read-only views of the ledger (tests and tools; the bank itself asks the store) -------
    @property
    def drawdowns(self) -> Mapping[str, Drawdown]:
        """Every drawdown by id, in booking order."""
        return _View(self.ledger.drawdown,
                     lambda: (d.drawdown_id for d in self.ledger.drawdowns()),
                     self.ledger.drawdown_count)

    @property
    def repayments(self) -> Mapping[str, Repayment]:
        return _View(self.ledger.repayment,
                     lambda: (r.repayment_id for r in self.ledger.repayments()),
                     self.ledger.repayment_count)

    @property
    def idempotency(self) -> Mapping[str, tuple[Fingerprint, str]]:
        """Every Idempotency-Key: the fingerprint of its request and the booking's id."""
        return _View(self.ledger.key, lambda: (key for key, _ in self.ledger.used_keys()),
                     self.ledger.key_count)

    # -- time ---------------------------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock.now()

    def business_date(self) -> date:
        return self._business_date_at(self.now())

    def _business_date_at(self, now: datetime) -> date:
        seen, today = self._today
        if seen is not now:
            today = now.astimezone(BANK_TZ).date()
            self._today = (now, today)
        return today

    def boundaries(self, after: datetime, until: datetime) -> Iterable[datetime]:
        """Calendar instants at which something changes: window edges, lock ends, policies."""
        edges = self.calendar.boundaries() + self.policies.boundaries()
        edges += [ln.locked_until for ln in self.lines.values() if ln.locked_until is not None]
        return [e for e in edges if after < e <= until]

    # -- queries ------------------------------------------------------------------------------
    def get_customer(self, customer_id: str) -> Customer:
        customer = self.customers.get(customer_id)
        if customer is None:
            raise Refusal(Reason.NOT_FOUND, f"customer {customer_id} does not exist")
        return customer

    def lines_of(self, customer_id: str) -> list[CreditLine]:
        with self.lock:
            self.get_customer(customer_id)
            return [self._refreshed(self.lines[i]) for i in self.lines_by_customer[customer_id]]

    def get_line(self, line_id: str) -> CreditLine:
        with self.lock:
            line = self.lines.get(line_id)
            if line is None:
                raise Refusal(Reason.NOT_FOUND, f"credit line {line_id} does not exist")
            return self._refreshed(line)

    def _refreshed(self, line: CreditLine) -> CreditLine:
        """Apply what time alone changes: a lock ends, a line expires."""
        now = self.now()
        if (
            line.status is LineStatus.LOCKED
            and line.locked_until is not None
            and line.locked_until <= now
        ):
            line.status = LineStatus.ACTIVE
            line.locked_until = None
            line.lock_reason = None
        # Every contract says EXPIRED is "past expiryDate": the expiry date itself is usable.
        if line.status is not LineStatus.EXPIRED and self._business_date_at(now) > line.expires_on:
            line.status = LineStatus.EXPIRED
        return line

    def get_drawdown(self, drawdown_id: str, *, poll: bool = False,
                     settle: bool = False) -> Drawdown:
        """The drawdown; a poll of a PENDING one may settle it (v3's asynchronous flow), and
        ``settle`` settles it at once (v1 and v2 have no PENDING to show)."""
        with self.lock:
            drawdown = self.ledger.drawdown(drawdown_id)
            if drawdown is None:
                raise Refusal(Reason.NOT_FOUND, f"drawdown {drawdown_id} does not exist")
            if poll and drawdown.status is DrawdownStatus.PENDING:
                drawdown.polls += 1
                if self.settle_after_polls and drawdown.polls >= self.settle_after_polls:
                    self._settle(drawdown)
            if settle and drawdown.status is DrawdownStatus.PENDING:
                self._settle(drawdown)
            return drawdown

    def drawdown_page(self, line_id: str, *, start: int, size: int, rejected: bool = True,
                      settle: bool = False, after: str | None = None,
                      ) -> tuple[list[Drawdown], bool] | None:
        """A page of a line's drawdowns, newest first: ``size`` of them from ``start`` (after
        the drawdown ``after``, when given), and whether more follow. ``settle`` first settles
        the line's PENDING ones, newest first (v1 and v2 have no PENDING to show);
        ``rejected=False`` leaves REJECTED ones out. None when ``after`` names no drawdown of
        the line that the page shows. Costs the page, not the line's history."""
        with self.lock:
            self.get_line(line_id)
            if settle:
                for drawdown_id in self.ledger.pending_of(line_id):
                    self.get_drawdown(drawdown_id, settle=True)
            before = None
            if after is not None:
                booking = self.ledger.booking(after)
                if booking is None or booking[1] != line_id or (booking[2] and not rejected):
                    return None
                before = booking[0]
            return self.ledger.line_page(line_id, skip=start, take=size, rejected=rejected,
                                         before=before)

    def drawdown_total(self, line_id: str, *, rejected: bool = True) -> int:
        """How many drawdowns a line has (without the REJECTED ones when ``rejected=False``)."""
        with self.lock:
            self.get_line(line_id)
            return self.ledger.line_count(line_id, rejected=rejected)

    # -- commands -----------------------------------------------------------------------------
    def activate(self, line_id: str) -> CreditLine:
        with self.lock:
            line = self.get_line(line_id)
            if line.status is LineStatus.ACTIVE:
                return line  # activation is idempotent
            if line.status is not LineStatus.PENDING_ACTIVATION:
                raise Refusal(
                    Reason.ACTIVATION_NOT_ALLOWED,
                    f"credit line {line_id} is {line.status}, only PENDING_ACTIVATION activates",
                )
            line.status = LineStatus.ACTIVE
            return line

    def draw_down(self, request: DrawdownRequest) -> tuple[Drawdown, bool]:
        """Book a drawdown. Returns it and whether it is a replay of an earlier one."""
        with self.lock:
            key = request.idempotency_key
            used = None if key is None else self.ledger.key(key)
            if used is not None:
                fingerprint, drawdown_id = used
                replayed = self.ledger.drawdown(drawdown_id)
                if fingerprint != request.fingerprint() or replayed is None:
                    raise Refusal(
                        Reason.IDEMPOTENCY_CONFLICT,
                        f"Idempotency-Key {key} was used for a different drawdown "
                        f"({drawdown_id})",
                        field="Idempotency-Key",
                    )
                return replayed, True
            if request.amount <= 0:
                raise Refusal(Reason.INVALID_REQUEST, "amount must be positive", field="amount")
            line = self.get_line(request.line_id)
            self._check_drawable(line, request)
            status = DrawdownStatus.PENDING if request.asynchronous else DrawdownStatus.DISBURSED
            now = self.now()  # one instant: a synchronous drawdown is settled as it is made
            drawdown = Drawdown(
                drawdown_id=self.ids.next("DD", 8),
                line_id=line.line_id,
                amount=request.amount,
                currency=request.currency,
                beneficiary_account=request.beneficiary_account,
                purpose_code=request.purpose_code,
                status=status,
                created_at=now,
                settled_at=None if request.asynchronous else now,
                operation=self.operation,
            )
            line.used += request.amount
            self.ledger.add_drawdown(drawdown, key, request.fingerprint())
            return drawdown, False

    def _check_drawable(self, line: CreditLine, request: DrawdownRequest) -> None:
        if request.currency != line.currency:
            raise Refusal(
                Reason.INVALID_REQUEST,
                f"currency {request.currency} does not match the line's {line.currency}",
                field="currency",
            )
        blocking = BLOCKING.get(line.status)
        if blocking is not None:
            raise Refusal(
                blocking,
                f"credit line {line.line_id} is {line.status}",
                locked_until=line.locked_until,
                extra=(("lockReason", line.lock_reason),) if line.lock_reason else (),
            )
        unmet = [p.code for p in line.preconditions if not p.satisfied]
        if unmet:
            raise Refusal(
                Reason.PRECONDITION_UNMET,
                f"conditions not yet met: {', '.join(unmet)}",
                extra=(("unmet", ",".join(unmet)),),
            )
        region = self.customers[line.customer_id].region
        self.policies.check_drawdown(region, self.now(), request.amount, request.purpose_code)
        if request.amount > line.available:
            raise Refusal(
                Reason.INSUFFICIENT_AVAILABLE,
                f"{request.amount} minor units asked, {line.available} available",
                field="amount",
            )

    def settle_pending(self) -> list[str]:
        """The bank's settlement run: settle every PENDING drawdown now (v3's asynchronous
        flow when ``settle_after_polls`` is 0, i.e. polls never settle by themselves)."""
        with self.lock:
            pending = self.ledger.pending()
            for drawdown in pending:
                self._settle(drawdown)
            return [d.drawdown_id for d in pending]

    def _settle(self, drawdown: Drawdown) -> None:
        line = self._refreshed(self.lines[drawdown.line_id])
        blocking = BLOCKING.get(line.status)
        drawdown.settled_at = self.now()
        if blocking is not None:
            # The line changed state between acceptance and settlement: release the amount.
            drawdown.status = DrawdownStatus.REJECTED
            drawdown.rejection = Refusal(
                blocking, f"credit line {line.line_id} became {line.status} before settlement",
                locked_until=line.locked_until, wording=self.messages.wording(blocking),
            )
            line.used -= drawdown.amount
        else:
            drawdown.status = DrawdownStatus.DISBURSED
        self.ledger.settled(drawdown.drawdown_id)

    def _store(self, drawdown: Drawdown) -> None:
        """Book a drawdown made elsewhere (a loaded snapshot)."""
        self.ledger.put_drawdown(drawdown)

    def repay(self, line_id: str, amount: int, currency: str,
              idempotency_key: str | None = None) -> tuple[Repayment, bool]:
        """Repay. Returns the repayment and whether it is a replay: with a key, a retry with
        the same request returns the first repayment and books nothing."""
        with self.lock:
            fingerprint: tuple[object, ...] = ("repay", line_id, amount, currency)
            used = None if idempotency_key is None else self.ledger.key(idempotency_key)
            if used is not None:
                seen, repayment_id = used
                replayed = self.ledger.repayment(repayment_id)
                if seen != fingerprint or replayed is None:
                    raise Refusal(Reason.IDEMPOTENCY_CONFLICT,
                                  f"Idempotency-Key {idempotency_key} was used for another "
                                  f"request ({repayment_id})", field="Idempotency-Key")
                return replayed, True
            line = self.get_line(line_id)
            if amount <= 0:
                raise Refusal(Reason.INVALID_REQUEST, "amount must be positive", field="amount")
            if currency != line.currency:
                raise Refusal(Reason.INVALID_REQUEST, f"currency must be {line.currency}",
                              field="currency")
            # A PENDING (v3) drawdown reserves its amount in `used` but was never paid out:
            # only disbursed money is outstanding, or a rejection at settlement would release
            # the same amount a second time and take `used` below zero.
            pending = sum(d.amount for d in self.ledger.pending() if d.line_id == line_id)
            outstanding = line.used - pending
            if amount > outstanding:
                raise Refusal(
                    Reason.INVALID_REQUEST,
                    f"repayment of {amount} exceeds the {outstanding} outstanding",
                    field="amount",
                )
            line.used -= amount  # lines are revolving: repaid money can be drawn again
            repayment = Repayment(self.ids.next("RP", 8), line_id, amount, currency, self.now())
            self.ledger.add_repayment(repayment, idempotency_key, fingerprint)
            return repayment, False

    def maintenance_refusal(self, write: bool) -> Refusal | None:
        """The refusal an outage gives now, if any (FULL refuses all, READ_ONLY refuses writes)."""
        window = self.calendar.active(self.now())
        if window is None or (window.mode == "READ_ONLY" and not write):
            return None
        reason = Reason.MAINTENANCE if window.mode == "FULL" else Reason.READ_ONLY
        return Refusal(reason, f"maintenance window {window.window_id} until "
                       f"{window.end.isoformat()}", retry_after=window.end)

    # -- bank-side administration (control API, scenario events) --------------------------------
    def add_customer(self, customer: Customer) -> Customer:
        with self.lock:
            self.customers[customer.customer_id] = customer
            self.lines_by_customer.setdefault(customer.customer_id, [])
            self.ids.skip_past(customer.customer_id, "ENT")
            return customer

    def add_line(self, line: CreditLine) -> CreditLine:
        with self.lock:
            if line.customer_id not in self.customers:
                raise Refusal(Reason.NOT_FOUND, f"customer {line.customer_id} does not exist")
            if not 0 <= line.used <= line.limit:
                raise Refusal(Reason.INVALID_REQUEST, "used must be between 0 and the limit")
            self.lines[line.line_id] = line
            self.lines_by_customer[line.customer_id].append(line.line_id)
            self.ids.skip_past(line.line_id, "CL")
            return line

    def set_status(
        self,
        line_id: str,
        status: LineStatus,
        *,
        locked_until: datetime | None = None,
        lock_reason: str | None = None,
    ) -> CreditLine:
        with self.lock:
            line = self.get_line(line_id)
            if status is LineStatus.LOCKED and locked_until is None:
                raise Refusal(Reason.INVALID_REQUEST, "a LOCKED line needs lockedUntil",
                              field="lockedUntil")
            line.status = status
            line.locked_until = locked_until if status is LineStatus.LOCKED else None
            line.lock_reason = lock_reason if status is LineStatus.LOCKED else None
            if status is LineStatus.EXPIRED:
                # Keep the wire consistent: an EXPIRED line shows an expiry date in the past.
                line.expires_on = min(line.expires_on, self.business_date() - timedelta(days=1))
            return line

    def satisfy_precondition(self, line_id: str, code: str) -> CreditLine:
        with self.lock:
            line = self.get_line(line_id)
            for precondition in line.preconditions:
                if precondition.code == code:
                    precondition.satisfied = True
                    return line
            known = ", ".join(p.code for p in line.preconditions) or "none"
            raise Refusal(Reason.NOT_FOUND, f"line {line_id} has no precondition {code} "
                          f"(it has: {known})")

    def schedule_maintenance(self, start: datetime, end: datetime, mode: str) -> MaintenanceWindow:
        with self.lock:
            window = MaintenanceWindow(self.ids.next("MW", 4), start, end, mode)
            return self.calendar.schedule(window)

    def put_policy(self, policy: Policy) -> None:
        with self.lock:
            self.policies.put(policy)

    def remove_policy(self, policy_id: str) -> None:
        with self.lock:
            if not self.policies.remove(policy_id):
                raise Refusal(Reason.NOT_FOUND, f"policy {policy_id} does not exist")

    def external_drawdown(self, line_id: str, amount: int) -> Drawdown:
        """Another channel (a teller, another system) books on the line: a concurrent drawdown."""
        with self.lock:
            line = self.get_line(line_id)
            if amount > line.available:
                raise Refusal(Reason.INSUFFICIENT_AVAILABLE, "the other channel overdraws")
            drawdown = Drawdown(
                drawdown_id=self.ids.next("DD", 8), line_id=line_id, amount=amount,
                currency=line.currency,
                beneficiary_account=self.customers[line.customer_id].account_no,
                purpose_code=None, status=DrawdownStatus.DISBURSED, created_at=self.now(),
                settled_at=self.now(), operation=None, channel="external",
            )
            line.used += amount
            self.ledger.add_drawdown(drawdown)
            return drawdown


_V = TypeVar("_V")


class _View(Mapping[str, _V]):
    """A read-only mapping over the ledger store: memory and spill database alike."""

    def __init__(self, get: Callable[[str], _V | None], ids: Callable[[], Iterator[str]],
                 count: Callable[[], int]) -> None:
        self._get, self._ids, self._count = get, ids, count

    def __getitem__(self, key: str) -> _V:
        value = self._get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        return self._ids()

    def __len__(self) -> int:
        return self._count()
