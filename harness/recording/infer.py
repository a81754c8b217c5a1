"""Turn a recording into a scenario: the world the bank showed, the calls the connector made.

Read in order, the exchanges give:

- **operations** from the connector's requests: ``GET credit-lines/{id}`` -> get-line,
  ``POST .../drawdowns`` -> draw-down (amount, purpose; the Idempotency-Key as the business
  intent), ``POST .../activation`` -> activate, ``POST .../repayments`` -> repay,
  ``GET drawdowns/{id}`` -> get-drawdown (unless it is the draw-down's own settlement polling).
  A request repeated after a 5xx or a lost answer is a retry of the same operation;
- **the world** from the bank's answers: lines (limit, used, status, lockedUntil, expiry,
  preconditions) and their customers (account, credit code) as first seen;
- **events** from what the bank said: ``503`` + Retry-After -> a maintenance window (read-only
  when the reason says so); other 5xx -> an ``error`` fault; a request without an answer -> a
  ``lost-response`` fault for writes (the bank may have booked: the dangerous case), ``drop``
  for reads; a refusal for a line state (``409 LINE_LOCKED`` with lockedUntil, frozen, ...)
  -> that state before the operation (at the start, or an event); a line seen usable again
  -> unlock / unfreeze / activate;
- **expectations** from the answers: each operation's outcome and reason code (and
  lockedUntil), and the total disbursed.

Virtual time is not in a recording: steps are five minutes apart, and after a maintenance
window the next step comes when the window is over. The clock starts an hour before the first
time the bank stated (a drawdown's ``createdAt``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from fake_core_bank.domain.bank import BANK_TZ
from fake_core_bank.errors import InputError
from harness.recording.store import Exchange
from harness.scenarios.loader import reload_scenario
from harness.scenarios.model import (
    Customer,
    Event,
    FaultMatch,
    FrozenMap,
    Given,
    Line,
    Money,
    Operation,
    Precondition,
    Scenario,
    ScenarioExpect,
    Step,
    StepExpect,
)

DEFAULT_CLOCK = datetime(2026, 3, 2, 9, 0, tzinfo=BANK_TZ)
GAP = timedelta(minutes=5)
#: v1 error codes -> reasons (v1 cannot tell a lock from a freeze: both read as LINE_FROZEN).
V1_REASONS = {"E1001": "INVALID_REQUEST", "E1002": "NOT_FOUND", "E1003": "LINE_FROZEN",
              "E1004": "INSUFFICIENT_AVAILABLE", "E1005": "LINE_EXPIRED",
              "E1006": "PRECONDITION_UNMET", "E1007": "POLICY_LIMIT_EXCEEDED",
              "E1009": "IDEMPOTENCY_CONFLICT", "E9001": "MAINTENANCE", "E9002": "VERSION_RETIRED"}
STATE_OF_REASON = {"LINE_LOCKED": "LOCKED", "LINE_FROZEN": "FROZEN", "LINE_EXPIRED": "EXPIRED",
                   "LINE_PENDING_ACTIVATION": "PENDING_ACTIVATION",
                   "LINE_SUSPENDED": "SUSPENDED"}
ROUTES: tuple[tuple[str, re.Pattern[str], str, str], ...] = (
    ("GET", re.compile(r"^/(v\d+)/credit-lines/([^/]+)$"), "get-line", "getCreditLine"),
    ("POST", re.compile(r"^/(v\d+)/credit-lines/([^/]+)/drawdowns$"), "draw-down",
     "createDrawdown"),
    ("POST", re.compile(r"^/(v\d+)/credit-lines/([^/]+)/activation$"), "activate",
     "activateCreditLine"),
    ("POST", re.compile(r"^/(v\d+)/credit-lines/([^/]+)/repayments$"), "repay",
     "createRepayment"),
    ("GET", re.compile(r"^/(v\d+)/drawdowns/([^/]+)$"), "get-drawdown", "getDrawdown"),
)
LINE_ID = re.compile(r"^CL[0-9]{6}$")


@dataclass
class Call:
    """One connector operation: its requests (retries included), in order."""

    kind: str
    operation_id: str
    version: str
    target: str  # line id, or drawdown id for get-drawdown
    exchanges: list[Exchange] = field(default_factory=list)

    @property
    def final(self) -> Exchange:
        return self.exchanges[-1]


def route(exchange: Exchange) -> tuple[str, str, str, str] | None:
    """(kind, operationId, version, target) of a request the scenario format can express."""
    for method, pattern, kind, operation_id in ROUTES:
        match = pattern.match(exchange.path)
        if match and exchange.method == method:
            return kind, operation_id, match.group(1), match.group(2)
    return None


def group_calls(exchanges: list[Exchange]) -> list[Call]:
    """Requests grouped into operations: retries (after 5xx or no answer) and v3 settlement
    polls of a drawdown just created belong to the operation that started them."""
    calls: list[Call] = []
    pending_drawdown: tuple[Call, str] | None = None
    for exchange in exchanges:
        routed = route(exchange)
        if routed is None:
            continue
        kind, operation_id, version, target = routed
        last = calls[-1] if calls else None
        retry = (last is not None and last.kind == kind and last.target == target
                 and (last.final.status is None or last.final.status >= 500))
        if retry and last is not None:
            last.exchanges.append(exchange)
            continue
        if kind == "get-drawdown" and pending_drawdown and pending_drawdown[1] == target:
            pending_drawdown[0].exchanges.append(exchange)
            if _body(exchange).get("status") != "PENDING":
                pending_drawdown = None
            continue
        call = Call(kind, operation_id, version, target, [exchange])
        calls.append(call)
        body = _body(exchange)
        pending_drawdown = ((call, str(body["drawdownId"]))
                            if kind == "draw-down" and body.get("status") == "PENDING"
                            and body.get("drawdownId") else None)
    return calls


def _body(exchange: Exchange, *, request: bool = False) -> dict[str, Any]:
    body = exchange.request_body if request else exchange.response_body
    return body if isinstance(body, dict) else {}


def reason_of(exchange: Exchange) -> str | None:
    """The bank's reason code in the harness's words, from any version's refusal."""
    body = _body(exchange)
    if exchange.status is not None and exchange.status < 400:
        rejection = body.get("rejection")
        return rejection.get("reasonCode") if isinstance(rejection, dict) else None
    if "reasonCode" in body:
        code = str(body["reasonCode"])
        return "MAINTENANCE" if code == "VERSION_UNAVAILABLE" else code
    if "code" in body:
        return V1_REASONS.get(str(body["code"]), "UNKNOWN")
    return None


def locked_until_of(exchange: Exchange) -> str | None:
    body = _body(exchange)
    value = body.get("lockedUntil")
    if value is None and isinstance(body.get("rejection"), dict):
        value = body["rejection"].get("lockedUntil")
    return str(value) if value else None


def money(value: Any, currency: str) -> Money:
    """v2/v3 amounts are integer minor units, v1 amounts decimal strings."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Money(value, currency)
    return Money.parse(f"{value} {currency}")


@dataclass
class LineFacts:
    line_id: str
    customer: str | None = None
    currency: str = "CNY"
    limit: int | None = None
    used: int | None = None  # at the start
    booked_before_seen: int = 0
    status: str | None = None  # at the start
    locked_until: str | None = None
    lock_reason: str | None = None
    expires_on: str | None = None
    preconditions: list[dict[str, Any]] = field(default_factory=list)
    account: str | None = None
    current: str = "ACTIVE"  # status as the timeline walks


class Inference:
    """Builds the scenario; :func:`scenario_from_recording` is the entry point."""

    def __init__(self, exchanges: list[Exchange], scenario_id: str, where: str) -> None:
        self.exchanges = exchanges
        self.scenario_id = scenario_id
        self.where = where
        self.lines: dict[str, LineFacts] = {}
        self.customers: dict[str, dict[str, Any]] = {}
        self.steps: list[Step] = []
        self.names: dict[str, int] = {}
        self.drawdown_steps: dict[str, str] = {}  # drawdown id -> draw-down step name
        self.disbursed: dict[str, int] = {}  # booked drawdown id -> amount
        self.currency = "CNY"

    def facts(self, line_id: str) -> LineFacts:
        if line_id not in self.lines:
            self.lines[line_id] = LineFacts(line_id)
        return self.lines[line_id]

    def name(self, kind: str) -> str:
        self.names[kind] = self.names.get(kind, 0) + 1
        return f"{kind}-{self.names[kind]}"

    # -- the world ----------------------------------------------------------------------------
    def observe_line(self, body: dict[str, Any]) -> None:
        """A credit line as the bank showed it; the first sighting sets the start."""
        line_id = str(body.get("lineId") or "")
        if not LINE_ID.match(line_id) or "limit" not in body:
            return  # a drawdown or repayment names its line too: only a line has a limit
        facts = self.facts(line_id)
        currency = str(body.get("currency") or facts.currency)
        facts.currency = currency
        facts.customer = facts.customer or body.get("customerId")
        if facts.limit is None and body.get("limit") is not None:
            facts.limit = money(body["limit"], currency).minor
            used = money(body.get("used") or 0, currency).minor
            facts.used = max(0, used - facts.booked_before_seen)
        if facts.status is None and body.get("status"):
            facts.status = str(body["status"])
            facts.current = facts.status
            facts.locked_until = body.get("lockedUntil")
            facts.lock_reason = body.get("lockReason")
        facts.expires_on = facts.expires_on or body.get("expiresOn") or body.get("expiryDate")
        if not facts.preconditions and isinstance(body.get("preconditions"), list):
            facts.preconditions = [p for p in body["preconditions"] if isinstance(p, dict)]

    def first_state(self, facts: LineFacts, status: str, locked_until: str | None) -> bool:
        """Set the line's start state if nothing was known yet; True when it was set."""
        if facts.status is not None:
            return False
        facts.status = facts.current = status
        facts.locked_until = locked_until
        return True

    # -- the timeline -------------------------------------------------------------------------
    def event(self, at: datetime, event_kind: str, **fields: Any) -> None:
        self.steps.append(Event(at=at, index=len(self.steps), name=self.name(event_kind),
                                kind=event_kind, fields=FrozenMap(fields)))

    def state_change(self, at: datetime, facts: LineFacts, status: str,
                     locked_until: str | None) -> None:
        """An event that brings the line into ``status`` before the operation at ``at``."""
        if self.first_state(facts, status, locked_until) or facts.current == status:
            return
        line = facts.line_id
        if status == "LOCKED":
            until = _time(locked_until) if locked_until else at + timedelta(days=1)
            self.event(at, "lock", line=line, until=until, reason=None)
        elif status == "ACTIVE":
            kind = {"LOCKED": "unlock", "FROZEN": "unfreeze",
                    "PENDING_ACTIVATION": "activate"}.get(facts.current)
            if kind:
                self.event(at, kind, line=line)
            else:
                self.event(at, "set-status", line=line, status="ACTIVE")
        elif status == "FROZEN":
            self.event(at, "freeze", line=line)
        elif status == "EXPIRED":
            self.event(at, "expire", line=line)
        else:
            self.event(at, "set-status", line=line, status=status)
        facts.current = status

    def call_events(self, at: datetime, call: Call, line: str | None) -> datetime:
        """Events the bank's answers imply before this call; returns when the call ends."""
        ends = at
        troubles = call.exchanges[:-1] if call.final.status is not None else call.exchanges
        maintenance = next((e for e in call.exchanges if e.status == 503
                            and e.header("retry-after")), None)
        if maintenance is not None:
            hours = max(1, int(float(maintenance.header("retry-after") or 1)))
            mode = "read-only" if reason_of(maintenance) == "READ_ONLY" else "full"
            self.event(at, "maintenance", duration=timedelta(hours=hours), mode=mode)
            ends = at + timedelta(hours=hours)
        errors = [e for e in troubles if e.status is not None and e.status >= 500
                  and e.status != 503]
        if errors:
            self.event(at, "fault", kind="error", times=len(errors), status=errors[0].status,
                       delay=None, match=FaultMatch(operation=call.operation_id,
                                                    method=call.exchanges[0].method, line=line))
        lost = [e for e in call.exchanges if e.status is None]
        if lost:
            kind = "lost-response" if call.exchanges[0].method == "POST" else "drop"
            self.event(at, "fault", kind=kind, times=len(lost), status=None, delay=None,
                       match=FaultMatch(operation=call.operation_id,
                                        method=call.exchanges[0].method, line=line))
        return ends

    def call_operation(self, at: datetime, call: Call) -> Operation | None:
        """:meth:`operation`, with a malformed request named by file and exchange number."""
        try:
            return self.operation(at, call)
        except InputError as exc:
            first = call.exchanges[0]
            raise InputError(f"{self.where} exchange {first.seq} ({first.method} {first.path})",
                             exc.problem, exc.fix) from None
        except (ValueError, TypeError) as exc:
            first = call.exchanges[0]
            raise InputError(f"{self.where} exchange {first.seq} ({first.method} {first.path})",
                             f"malformed request: {exc}",
                             "fix or delete that exchange in the recording") from None

    def operation(self, at: datetime, call: Call) -> Operation | None:
        first, final = call.exchanges[0], call.final
        request = _body(first, request=True)
        line = call.target if call.kind != "get-drawdown" else None
        facts = self.facts(line) if line else None
        name = self.name(call.kind)
        amount = purpose = ref = None
        intent = name
        if call.kind in ("draw-down", "repay") and facts is not None:
            currency = str(request.get("currency") or facts.currency)
            if "amount" not in request:
                return None
            amount = money(request["amount"], currency)
            purpose = request.get("purposeCode") or request.get("purpose")
            key = first.header("idempotency-key", response=False)
            if key:
                intent = re.sub(r"[^a-z0-9-]+", "-", key.rsplit(".", 1)[-1].lower()).strip("-")
                intent = intent or name
            account = request.get("beneficiaryAccount") or request.get("accountNo")
            if account and facts.account is None:
                facts.account = str(account)
        if call.kind == "get-drawdown":
            ref = self.drawdown_steps.get(call.target)
            if ref is None:
                return None  # a drawdown this recording never saw created: nothing to refer to
        expect = self.expectation(call, final)
        body = _body(final)
        if call.kind == "draw-down" and final.status is not None and final.status < 300 \
                and body.get("drawdownId"):
            self.drawdown_steps.setdefault(str(body["drawdownId"]), name)
            if body.get("status") != "REJECTED" and amount is not None:
                self.disbursed[str(body["drawdownId"])] = amount.minor
                if facts is not None and facts.limit is None:
                    facts.booked_before_seen += amount.minor
        return Operation(at=at, index=len(self.steps), name=name, kind=call.kind, line=line,
                         amount=amount, purpose=purpose if isinstance(purpose, str) else None,
                         intent=intent, ref=ref, expect=expect)

    def expectation(self, call: Call, final: Exchange) -> StepExpect | None:
        if final.status is None or final.status >= 500:
            return None  # the connector gave up: what it should say is the scenario's to decide
        reason = reason_of(final)
        body = _body(final)
        if final.status >= 400 or body.get("status") == "REJECTED":
            until = locked_until_of(final)
            return StepExpect(outcomes=("rejected",), reasons=(reason,) if reason else (),
                              locked_until=_time(until) if until else None)
        if call.kind == "draw-down" and body.get("status") == "PENDING":
            return StepExpect(outcomes=("succeeded", "pending"))
        return StepExpect(outcomes=("succeeded",))

    def build(self) -> Scenario:
        calls = group_calls(self.exchanges)
        if not calls:
            raise InputError(self.where, "no connector operation in the recording (credit "
                             "lines, drawdowns, activation, repayments)",
                             "record while the connector works against /vN/credit-lines/...")
        for exchange in self.exchanges:  # every line the bank showed, wherever
            body = _body(exchange)
            if exchange.status is not None and exchange.status < 300:
                self.observe_line(body)
        clock = self.clock()
        at = clock + timedelta(hours=1)
        versions = sorted({c.version for c in calls}, key=lambda v: int(v[1:]))
        for call in calls:
            line = call.target if call.kind != "get-drawdown" else None
            if line is not None and not LINE_ID.match(line):
                continue
            if line is not None:
                facts = self.facts(line)
                reason = reason_of(call.final)
                state = STATE_OF_REASON.get(reason or "")
                if state is not None:
                    self.state_change(at, facts, state, locked_until_of(call.final))
                elif call.final.status is not None and call.final.status < 300 \
                        and call.kind != "activate":
                    self.state_change(at, facts, "ACTIVE", None)
            ends = self.call_events(at, call, line)
            op = self.call_operation(at, call)
            if op is not None:
                self.steps.append(op)
                if op.kind == "activate" and op.expect and op.expect.outcomes == ("succeeded",):
                    self.facts(op.line or "").current = "ACTIVE"
            at = max(at + GAP, ends + GAP)
        return self.scenario(clock, versions)

    def clock(self) -> datetime:
        times = [_time(str(_body(e)["createdAt"])) for e in self.exchanges
                 if _body(e).get("createdAt")]
        start = min(times) - timedelta(hours=1) if times else DEFAULT_CLOCK
        for facts in self.lines.values():
            if facts.locked_until and _time(facts.locked_until) <= start:
                start = _time(facts.locked_until) - timedelta(days=1)
        return start.replace(microsecond=0)

    def scenario(self, clock: datetime, versions: list[str]) -> Scenario:
        lines: list[Line] = []
        customers: list[Customer] = []
        for line_id in sorted(self.lines):
            facts = self.lines[line_id]
            customer = facts.customer if isinstance(facts.customer, str) and re.match(
                r"^ENT[0-9]{6}$", facts.customer) else f"ENT{line_id[2:]}"
            status = facts.status or "ACTIVE"
            limit = facts.limit if facts.limit is not None else max(
                100_000_000, 2 * sum(self.disbursed.values()))
            locked = _time(facts.locked_until) if status == "LOCKED" and facts.locked_until \
                else None
            if status == "LOCKED" and locked is None:
                locked = clock + timedelta(days=30)
            lines.append(Line(
                id=line_id, customer=customer, limit=Money(limit, facts.currency),
                used=Money(min(facts.used or 0, limit), facts.currency), status=status,
                locked_until=locked, lock_reason=facts.lock_reason if locked else None,
                expires_on=date.fromisoformat(facts.expires_on) if facts.expires_on
                else date(clock.year + 1, clock.month, min(clock.day, 28)),
                preconditions=tuple(
                    Precondition(code=str(p["code"]), description=p.get("description"),
                                 satisfied=bool(p.get("satisfied")),
                                 due_date=date.fromisoformat(p["dueDate"])
                                 if p.get("dueDate") else None)
                    for p in facts.preconditions if p.get("code"))))
            if all(c.id != customer for c in customers):
                customers.append(Customer(id=customer, account_no=facts.account))
            self.currency = facts.currency
        total = sum(self.disbursed.values())
        return Scenario(
            id=self.scenario_id, title=f"recorded: {self.where}", cause="integration",
            versions=tuple(versions),
            description=f"Inferred by `drawbridge scenario from-recording` from {self.where} "
                        f"({len(self.exchanges)} exchanges). Review the expectations: they say "
                        "what the bank answered, which is what a correct connector reports.",
            tags=("recorded",), given=Given(clock=clock, customers=tuple(customers),
                                            lines=tuple(lines)),
            timeline=tuple(self.steps),
            expect=ScenarioExpect(disbursed=Money(total, self.currency)),
        )


def _time(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=BANK_TZ)


def scenario_from_recording(exchanges: list[Exchange], *, scenario_id: str = "recorded",
                            where: str = "recording") -> Scenario:
    """The scenario a recording implies (checked: it loads like a file)."""
    scenario = Inference(exchanges, scenario_id, where).build()
    return reload_scenario(scenario, f"<scenario from {where}>")
