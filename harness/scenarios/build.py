"""Pass two: turn schema-valid data into the typed model, checking what a schema cannot.

References (a line's customer, an event's line, a get-drawdown's draw-down step), unique ids
and step names, time order, lock rules, limits and currencies. Errors are raised in document
order, one line each, at the position of the offending value.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from fake_core_bank.domain.faults import kinds_that
from fake_core_bank.domain.limits import scale_problem
from fake_core_bank.errors import InputError
from harness.scenarios import creditcode
from harness.scenarios.model import (
    BankKnobs,
    Customer,
    Event,
    FaultMatch,
    FrozenMap,
    Given,
    Line,
    Operation,
    Policy,
    Precondition,
    Scenario,
    ScenarioExpect,
    Step,
    StepExpect,
)
from harness.scenarios.money import Money
from harness.scenarios.timefmt import (
    format_time,
    in_range,
    parse_at,
    parse_date,
    parse_duration,
    parse_time,
)
from harness.scenarios.vocabulary import EVENTS
from harness.scenarios.yamlpos import JsonPath, SourceRef, YamlDocument, format_json_path


def one_year_after(day: date) -> date:
    """The default ``expiresOn``: same day next year (29 February -> 28 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


class _Timeline:
    """What the timeline has established so far, for reference checks in order."""

    def __init__(self, given: Given) -> None:
        self.lines = {line.id: line for line in given.lines}
        self.policies = {policy.id for policy in given.policies}
        self.names: dict[str, tuple[int, str]] = {}  # name -> (index, kind of step)
        self.rolling: str | None = None  # 'to' version of an unfinished rolling upgrade


class Builder:
    """Builds a :class:`Scenario` from a schema-valid document."""

    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc

    # -- helpers -------------------------------------------------------------------------
    def where(self, path: JsonPath, *, key: bool = False) -> str:
        return self.doc.where(path, key=key)

    def ref(self, path: JsonPath) -> SourceRef:
        return self.doc.value_ref(path)

    def fail(self, path: JsonPath, problem: str, fix: str | None = None) -> InputError:
        return InputError(self.where(path), problem, fix)

    def money(self, value: Any, path: JsonPath) -> Money:
        return Money.parse(value, self.where(path))

    def time(self, value: Any, path: JsonPath) -> datetime:
        return parse_time(value, self.where(path))

    # -- scenario ------------------------------------------------------------------------
    def scenario(self) -> Scenario:
        data = self.doc.data
        given = self.given(data["given"])
        timeline = self.timeline(data["timeline"], given)
        expect = self.expect(data.get("expect"), given, timeline)
        return Scenario(
            id=data["id"],
            title=data["title"],
            cause=data["cause"],
            versions=tuple(data["versions"]),
            assumes=tuple(data["assumes"]) if "assumes" in data else None,
            description=data.get("description"),
            tags=tuple(data.get("tags", ())),
            seed=data.get("seed"),
            given=given,
            timeline=timeline,
            expect=expect,
            source=self.ref(()),
        )

    # -- given ---------------------------------------------------------------------------
    def given(self, data: dict[str, Any]) -> Given:
        base: JsonPath = ("given",)
        clock = self.time(data["clock"], (*base, "clock"))
        customers = tuple(
            self.customer(item, (*base, "customers", i))
            for i, item in enumerate(data.get("customers", []))
        )
        self.unique([c.id for c in customers], (*base, "customers"), "customer id")
        lines = tuple(
            self.line(item, (*base, "lines", i), clock, {c.id for c in customers})
            for i, item in enumerate(data.get("lines", []))
        )
        self.unique([line.id for line in lines], (*base, "lines"), "line id")
        policies = tuple(
            self.policy(item, (*base, "policies", i))
            for i, item in enumerate(data.get("policies", []))
        )
        self.unique([p.id for p in policies], (*base, "policies"), "policy id")
        bank = data.get("bank", {})
        knobs = BankKnobs(
            message_variants=bank.get("messageVariants", True),
            settle_after_polls=bank.get("settleAfterPolls", 1),
            additive=bank.get("additive", False),
            time_scale=self.time_scale(bank["timeScale"], (*base, "bank", "timeScale"))
            if "timeScale" in bank else None,
            source=self.ref((*base, "bank")) if "bank" in data else None,
        )
        serve = data.get("serve")
        return Given(
            clock=clock,
            serve=tuple(serve) if serve is not None else None,
            customers=customers,
            lines=lines,
            policies=policies,
            bank=knobs,
            source=self.ref(base),
        )

    def unique(self, ids: list[str], path: JsonPath, what: str) -> None:
        first: dict[str, int] = {}
        for i, item in enumerate(ids):
            if item in first:
                earlier = format_json_path((*path, first[item]))
                raise self.fail(
                    (*path, i, "id"),
                    f"duplicate {what} {item!r} (first at {earlier})",
                    f"give each item its own {what}",
                )
            first[item] = i

    def customer(self, data: dict[str, Any], path: JsonPath) -> Customer:
        code = data.get("creditCode")
        if code is not None and (bad := creditcode.problem(code)) is not None:
            raise self.fail((*path, "creditCode"), *bad)
        return Customer(
            id=data["id"],
            name=data.get("name"),
            credit_code=code,
            region=data.get("region"),
            account_no=data.get("accountNo"),
            source=self.ref(path),
        )

    def line(
        self, data: dict[str, Any], path: JsonPath, clock: datetime, customers: set[str]
    ) -> Line:
        if data["customer"] not in customers:
            where = self.where((*path, "customer"))
            if not customers:
                raise InputError(
                    where,
                    f"unknown customer {data['customer']!r}",
                    f"add it under given.customers: '- id: {data['customer']}'",
                )
            raise InputError.for_unknown_name(where, "customer", data["customer"], customers)
        limit = self.money(data["limit"], (*path, "limit"))
        used = Money.zero(limit.currency)
        if "used" in data:
            used = self.money(data["used"], (*path, "used"))
            if used.currency != limit.currency:
                raise self.fail(
                    (*path, "used"),
                    f"currency {used.currency} differs from the limit's {limit.currency}",
                    f"write the amount in {limit.currency}",
                )
            if used > limit:
                raise self.fail(
                    (*path, "used"),
                    f"used {used} is more than the limit {limit}",
                    f"use at most {limit}, or raise the limit",
                )
        status = data.get("status", "ACTIVE")
        locked_until = None
        if status == "LOCKED":
            if "lockedUntil" not in data:
                raise self.fail(
                    (*path, "status"),
                    "a LOCKED line needs lockedUntil",
                    "add 'lockedUntil: \"2026-04-01T00:00:00+08:00\"' (when the lock ends)",
                )
            locked_until = self.time(data["lockedUntil"], (*path, "lockedUntil"))
            if locked_until <= clock:
                raise self.fail(
                    (*path, "lockedUntil"),
                    f"the lock ends at {format_time(locked_until)}, not after given.clock",
                    "set lockedUntil after the clock, or use status ACTIVE",
                )
        elif "lockedUntil" in data:
            raise self.fail(
                (*path, "lockedUntil"),
                f"lockedUntil is only for LOCKED lines; this line is {status}",
                "remove lockedUntil, or set 'status: LOCKED'",
            )
        preconditions = tuple(
            self.precondition(item, (*path, "preconditions", i))
            for i, item in enumerate(data.get("preconditions", []))
        )
        codes = [p.code for p in preconditions]
        for i, code in enumerate(codes):
            if code in codes[:i]:
                raise self.fail(
                    (*path, "preconditions", i, "code"),
                    f"precondition {code!r} is listed twice on this line",
                    "list each precondition once",
                )
        expires = data.get("expiresOn")
        return Line(
            id=data["id"],
            customer=data["customer"],
            limit=limit,
            used=used,
            status=status,
            locked_until=locked_until,
            lock_reason=data.get("lockReason"),
            expires_on=(
                parse_date(expires, self.where((*path, "expiresOn")))
                if expires is not None
                else one_year_after(clock.date())
            ),
            preconditions=preconditions,
            source=self.ref(path),
        )

    def precondition(self, data: dict[str, Any], path: JsonPath) -> Precondition:
        due = data.get("dueDate")
        return Precondition(
            code=data["code"],
            description=data.get("description"),
            satisfied=data.get("satisfied", False),
            due_date=parse_date(due, self.where((*path, "dueDate"))) if due is not None else None,
            source=self.ref(path),
        )

    def policy(self, data: dict[str, Any], path: JsonPath) -> Policy:
        cap = data.get("maxDrawdown")
        allowed = data.get("allowedPurposes")
        return Policy(
            id=data["id"],
            region=data["region"],
            effective=self.time(data["effective"], (*path, "effective")),
            max_drawdown=self.money(cap, (*path, "maxDrawdown")) if cap is not None else None,
            require_purpose_code=data.get("requirePurposeCode", False),
            allowed_purposes=tuple(allowed) if allowed is not None else None,
            source=self.ref(path),
        )

    def time_scale(self, value: Any, path: JsonPath) -> float:
        """A finite time scale in the bank's range (not .inf, .nan or 1e308: issue 15 item 8)."""
        problem = scale_problem(float(value))
        if problem is not None:
            raise self.fail(path, problem, "write e.g. 3600 (one wall second is one bank hour)")
        return float(value)

    # -- timeline ------------------------------------------------------------------------
    def timeline(self, data: list[dict[str, Any]], given: Given) -> tuple[Step, ...]:
        state = _Timeline(given)
        steps: list[Step] = []
        moved = timedelta(0)
        for index, item in enumerate(data):
            path: JsonPath = ("timeline", index)
            at = parse_at(item["at"], given.clock, self.where((*path, "at")))
            if at < given.clock:
                raise self.fail(
                    (*path, "at"),
                    f"{item['at']!r} is before given.clock {format_time(given.clock)}",
                    "start the timeline at or after the clock, e.g. '+0s'",
                )
            if steps and at < steps[-1].at:
                raise self.fail(
                    (*path, "at"),
                    f"the timeline goes backwards: {format_time(at)} is before "
                    f"timeline[{index - 1}] at {format_time(steps[-1].at)}",
                    "order the steps by time (equal times are fine)",
                )
            name = self.step_name(item, path, index, state)
            kind = item.get("event") or item["do"]
            if "event" in item:
                event = Event(
                    at=at,
                    index=index,
                    name=name,
                    kind=kind,
                    fields=self.event_fields(kind, item, path, at, state),
                    source=self.ref(path),
                )
                if kind == "advance":  # the moves add up: the clock must hold the last one
                    moved += event.fields["by"]
                    in_range(at + moved, self.where((*path, "by")))
                step: Step = event
            else:
                step = self.operation(kind, item, path, at, index, name, state)
            state.names[name] = (index, ("event:" if "event" in item else "do:") + kind)
            steps.append(step)
        return tuple(steps)

    def step_name(self, item: dict[str, Any], path: JsonPath, index: int, state: _Timeline) -> str:
        name = str(item.get("name") or f"step-{index}")
        if name in state.names:
            first = state.names[name][0]
            named = "name" in item
            raise self.fail(
                (*path, "name") if named else path,
                f"step name {name!r} is already used by timeline[{first}]",
                "give each step its own name" if named else f"rename timeline[{first}]",
            )
        return name

    def line_ref(self, value: str, path: JsonPath, state: _Timeline) -> str:
        if value not in state.lines:
            where = self.where(path)
            if not state.lines:
                raise InputError(
                    where, f"unknown line {value!r}", "declare the line under given.lines"
                )
            raise InputError.for_unknown_name(where, "line", value, state.lines)
        return value

    def event_fields(
        self, kind: str, item: dict[str, Any], path: JsonPath, at: datetime, state: _Timeline
    ) -> FrozenMap:
        if kind == "policy":
            policy = self.policy(
                {k: v for k, v in item.items() if k not in ("at", "name", "event")}, path
            )
            state.policies.add(policy.id)
            return FrozenMap({"policy": policy})
        fields: dict[str, Any] = {}
        for name, ftype in EVENTS[kind].items():
            value = item.get(name)
            fpath = (*path, name)
            if value is None:
                fields[name] = None
            elif ftype == "line":
                fields[name] = self.line_ref(value, fpath, state)
            elif ftype == "time":
                fields[name] = self.time(value, fpath)
            elif ftype == "duration":
                fields[name] = parse_duration(value, self.where(fpath))
            elif ftype == "money":
                fields[name] = self.money(value, fpath)
            elif ftype == "version-list":
                fields[name] = tuple(value)
            elif ftype == "share":
                fields[name] = float(value)
            elif ftype == "fault-match":
                line = value.get("line")
                if line is not None:
                    self.line_ref(line, (*fpath, "line"), state)
                fields[name] = FaultMatch(
                    operation=value["operation"], method=value.get("method"), line=line
                )
            else:
                fields[name] = value
        self.check_event(kind, fields, item, path, at, state)
        return FrozenMap(fields)

    def check_event(
        self,
        kind: str,
        fields: dict[str, Any],
        item: dict[str, Any],
        path: JsonPath,
        at: datetime,
        state: _Timeline,
    ) -> None:
        if kind == "upgrade":
            fields["retire"] = fields["retire"] or ()
            fields["inPlace"] = bool(fields["inPlace"])
            if fields["to"] in fields["retire"]:
                raise self.fail(
                    (*path, "retire"),
                    f"retires {fields['to']}, the version being upgraded to",
                    "retire only older versions",
                )
        elif kind == "rolling-upgrade":
            if fields["from"] == fields["to"]:
                raise self.fail(
                    (*path, "to"), f"from and to are both {fields['to']}", "roll to another version"
                )
            state.rolling = fields["to"]
        elif kind == "complete-rollout":
            if state.rolling is None:
                raise self.fail(
                    path,
                    "complete-rollout without a rolling-upgrade before it",
                    "add a 'rolling-upgrade' event earlier, or use 'upgrade'",
                )
            state.rolling = None
        elif kind == "maintenance":
            fields["mode"] = fields["mode"] or "full"
        elif kind == "lock":
            if fields["until"] <= at:
                raise self.fail(
                    (*path, "until"),
                    f"the lock ends at {format_time(fields['until'])}, not after the step's time "
                    f"{format_time(at)}",
                    "set until after the step's time",
                )
        elif kind == "set-status" and fields["status"] == "LOCKED":
            raise self.fail(
                (*path, "status"),
                "set-status cannot lock a line (a lock needs an end time)",
                "use 'event: lock' with 'until:'",
            )
        elif kind == "satisfy-precondition":
            codes = [p.code for p in state.lines[fields["line"]].preconditions]
            if fields["code"] not in codes:
                where = self.where((*path, "code"))
                if not codes:
                    raise InputError(
                        where,
                        f"line {fields['line']} has no preconditions",
                        "declare it under the line's preconditions in given.lines",
                    )
                raise InputError.for_unknown_name(where, "precondition", fields["code"], codes)
        elif kind == "remove-policy":
            if fields["id"] not in state.policies:
                raise InputError.for_unknown_name(
                    self.where((*path, "id")), "policy", fields["id"], state.policies or ["(none)"]
                )
            state.policies.discard(fields["id"])
        elif kind == "fault":
            self.check_fault(fields, item, path)
        elif kind == "external-drawdown":
            self.same_currency(fields["amount"], fields["line"], (*path, "amount"), state)

    def check_fault(self, fields: dict[str, Any], item: dict[str, Any], path: JsonPath) -> None:
        fault = fields["kind"]
        fields["times"] = fields["times"] or 1
        refusing, delaying = kinds_that("refuses"), kinds_that("delays")  # faults.FAULTS says
        if "status" in item and fault not in refusing:
            raise self.fail(
                (*path, "status"),
                f"status applies to {_either(refusing)} faults, not {fault!r}",
                "remove status",
            )
        if fault in refusing:
            fields["status"] = fields["status"] or 500
        if fault in delaying and fields["delay"] is None:
            raise self.fail(path, f"a {fault} fault needs a delay", "add e.g. 'delay: 30s'")
        if fault not in delaying and "delay" in item:
            raise self.fail(
                (*path, "delay"),
                f"delay applies to {_either(delaying)} faults, not {fault!r}",
                "remove delay",
            )

    def same_currency(self, amount: Money, line: str, path: JsonPath, state: _Timeline) -> None:
        currency = state.lines[line].limit.currency
        if amount.currency != currency:
            raise self.fail(
                path,
                f"amount is in {amount.currency} but line {line} is in {currency}",
                f"write the amount in {currency}",
            )

    def operation(
        self,
        kind: str,
        item: dict[str, Any],
        path: JsonPath,
        at: datetime,
        index: int,
        name: str,
        state: _Timeline,
    ) -> Operation:
        line = item.get("line")
        if line is not None:
            self.line_ref(line, (*path, "line"), state)
        amount = None
        if "amount" in item:
            amount = self.money(item["amount"], (*path, "amount"))
            assert line is not None  # the schema requires line with amount
            self.same_currency(amount, line, (*path, "amount"), state)
        ref = item.get("ref")
        if ref is not None:
            self.check_ref(ref, (*path, "ref"), state)
        return Operation(
            at=at,
            index=index,
            name=name,
            kind=kind,
            line=line,
            amount=amount,
            purpose=item.get("purpose"),
            intent=item.get("intent") or name,
            ref=ref,
            expect=self.step_expect(item["expect"], (*path, "expect"))
            if "expect" in item
            else None,
            source=self.ref(path),
        )

    def check_ref(self, ref: str, path: JsonPath, state: _Timeline) -> None:
        draws = [n for n, (_, kind) in state.names.items() if kind == "do:draw-down"]
        if ref in state.names and ref not in draws:
            raise self.fail(
                path,
                f"step {ref!r} is a {state.names[ref][1].split(':')[1]}, not a draw-down",
                "name an earlier draw-down step" + (f": {', '.join(draws)}" if draws else ""),
            )
        if ref not in draws:
            where = self.where(path)
            if not draws:
                raise InputError(
                    where,
                    f"unknown draw-down step {ref!r}: no draw-down comes before this step",
                    "add a draw-down step with 'name: " + ref + "' earlier in the timeline",
                )
            raise InputError.for_unknown_name(where, "draw-down step", ref, draws)

    def step_expect(self, data: dict[str, Any], path: JsonPath) -> StepExpect:
        def many(value: Any) -> tuple[str, ...]:
            return (value,) if isinstance(value, str) else tuple(value or ())

        outcomes, reasons = many(data.get("outcome")), many(data.get("reason"))
        if reasons and outcomes and not {"rejected", "failed"} & set(outcomes):
            raise self.fail(
                (*path, "reason"),
                f"a reason code applies to rejected or failed outcomes, not {', '.join(outcomes)}",
                "remove reason, or expect 'outcome: rejected'",
            )
        until = data.get("lockedUntil")
        by_version = {
            version: self.step_expect(sub, (*path, "byVersion", version))
            for version, sub in (data.get("byVersion") or {}).items()
        }
        return StepExpect(
            outcomes=outcomes,
            reasons=reasons,
            locked_until=self.time(until, (*path, "lockedUntil")) if until is not None else None,
            by_version=FrozenMap(by_version),
            source=self.ref(path),
        )

    # -- expect --------------------------------------------------------------------------
    def expect(
        self, data: dict[str, Any] | None, given: Given, timeline: tuple[Step, ...]
    ) -> ScenarioExpect:
        if data is None:
            return ScenarioExpect()
        path: JsonPath = ("expect",)
        disbursed = None
        if "disbursed" in data:
            disbursed = self.disbursed(data["disbursed"], (*path, "disbursed"), given, timeline)
        by_version = {
            version: self.disbursed(sub["disbursed"], (*path, "byVersion", version, "disbursed"),
                                    given, timeline)
            for version, sub in (data.get("byVersion") or {}).items()
        }
        oracles = data.get("oracles", {})
        return ScenarioExpect(
            disbursed=disbursed,
            skip_oracles=tuple(oracles.get("skip", ())),
            disbursed_by_version=FrozenMap(by_version),
            source=self.ref(path),
        )

    def disbursed(self, value: Any, path: JsonPath, given: Given,
                  timeline: tuple[Step, ...]) -> Money:
        """A total in the currency of every line the scenario draws on."""
        disbursed = self.money(value, path)
        for step in timeline:
            if isinstance(step, Operation) and step.kind == "draw-down" and step.line:
                currency = given.line(step.line).limit.currency
                if currency != disbursed.currency:
                    raise self.fail(
                        path,
                        f"disbursed is in {disbursed.currency} but {step.name} draws on "
                        f"line {step.line} in {currency}",
                        f"write the total in {currency}",
                    )
        return disbursed


def _either(names: tuple[str, ...]) -> str:
    """``'a'``, ``'a' or 'b'``, ``'a', 'b' or 'c'``: the kinds a fault field applies to."""
    quoted = [repr(n) for n in names]
    return " or ".join([", ".join(quoted[:-1]), quoted[-1]] if len(quoted) > 1 else quoted)
