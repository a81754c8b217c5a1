"""Write a scenario back as canonical YAML that loads to an equal :class:`Scenario`.

The shrinker and the recorders write scenarios with this. Output is deterministic: keys in the
documented order, money as ``"300000.00 CNY"``, times ISO 8601 with the clock's offset, step
times as ``+<duration>`` from the clock, defaults written out (no include: ``given`` is whole).
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from typing import Any

from ruamel.yaml import YAML

from harness.scenarios.model import (
    Event,
    FaultMatch,
    Given,
    Line,
    Operation,
    Policy,
    Scenario,
    Step,
    StepExpect,
)
from harness.scenarios.money import Money
from harness.scenarios.timefmt import format_at, format_date, format_duration, format_time
from harness.scenarios.vocabulary import FORMAT


def _value(value: Any) -> Any:
    if isinstance(value, Money):
        return str(value)
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, timedelta):
        return format_duration(value)
    if isinstance(value, FaultMatch):
        return _drop_none(
            {"operation": value.operation, "method": value.method, "line": value.line}
        )
    if isinstance(value, tuple):
        return [_value(v) for v in value]
    return value


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: _value(v) for k, v in data.items() if v is not None}


def _policy(policy: Policy) -> dict[str, Any]:
    return _drop_none(
        {
            "id": policy.id,
            "region": policy.region,
            "effective": policy.effective,
            "maxDrawdown": policy.max_drawdown,
            "requirePurposeCode": policy.require_purpose_code,
            "allowedPurposes": policy.allowed_purposes,
        }
    )


def _line(line: Line) -> dict[str, Any]:
    return _drop_none(
        {
            "id": line.id,
            "customer": line.customer,
            "limit": line.limit,
            "used": line.used,
            "status": line.status,
            "lockedUntil": line.locked_until,
            "lockReason": line.lock_reason,
            "expiresOn": line.expires_on,
            "preconditions": [
                _drop_none(
                    {
                        "code": p.code,
                        "description": p.description,
                        "satisfied": p.satisfied,
                        "dueDate": p.due_date,
                    }
                )
                for p in line.preconditions
            ]
            or None,
        }
    )


def _given(given: Given) -> dict[str, Any]:
    bank = _drop_none(
        {
            "messageVariants": given.bank.message_variants,
            "settleAfterPolls": given.bank.settle_after_polls,
            "additive": given.bank.additive or None,
            "timeScale": given.bank.time_scale,
        }
    )
    return _drop_none(
        {
            "clock": given.clock,
            "serve": given.serve,
            "customers": [
                _drop_none(
                    {
                        "id": c.id,
                        "name": c.name,
                        "creditCode": c.credit_code,
                        "region": c.region,
                        "accountNo": c.account_no,
                    }
                )
                for c in given.customers
            ],
            "lines": [_line(line) for line in given.lines],
            "policies": [_policy(p) for p in given.policies],
            "bank": bank,
        }
    )


def _expect(expect: StepExpect) -> dict[str, Any]:
    def one_or_list(values: tuple[str, ...]) -> Any:
        return None if not values else values[0] if len(values) == 1 else list(values)

    out = _drop_none(
        {
            "outcome": one_or_list(expect.outcomes),
            "reason": one_or_list(expect.reasons),
            "lockedUntil": expect.locked_until,
        }
    )
    if expect.by_version:
        out["byVersion"] = {v: _expect(e) for v, e in sorted(expect.by_version.items())}
    return out


def _step(step: Step, clock: datetime) -> dict[str, Any]:
    out: dict[str, Any] = {"at": format_at(step.at, clock)}
    if isinstance(step, Event):
        out["event"] = step.kind
        out["name"] = step.name
        if step.kind == "policy":
            out.update(_policy(step.fields["policy"]))
        else:
            out.update(_drop_none(dict(step.fields)))
    elif isinstance(step, Operation):
        out["do"] = step.kind
        out["name"] = step.name
        out.update(
            _drop_none(
                {
                    "line": step.line,
                    "amount": step.amount,
                    "purpose": step.purpose,
                    "ref": step.ref,
                    "intent": step.intent if step.intent != step.name else None,
                }
            )
        )
        if step.expect is not None:
            out["expect"] = _expect(step.expect)
    return out


def scenario_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data in file layout (what :func:`dump_scenario` writes)."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "id": scenario.id,
        "title": scenario.title,
        "cause": scenario.cause,
        "versions": list(scenario.versions),
    }
    if scenario.assumes is not None:
        data["assumes"] = list(scenario.assumes)
    if scenario.description is not None:
        data["description"] = scenario.description
    if scenario.tags:
        data["tags"] = list(scenario.tags)
    if scenario.seed is not None:
        data["seed"] = scenario.seed
    data["given"] = _given(scenario.given)
    data["timeline"] = [_step(step, scenario.given.clock) for step in scenario.timeline]
    expect = _drop_none({"disbursed": scenario.expect.disbursed})
    if scenario.expect.skip_oracles:
        expect["oracles"] = {"skip": list(scenario.expect.skip_oracles)}
    if scenario.expect.disbursed_by_version:
        expect["byVersion"] = {v: _drop_none({"disbursed": total}) for v, total
                               in sorted(scenario.expect.disbursed_by_version.items())}
    if expect:
        data["expect"] = expect
    return data


# YAML folds these into line breaks (NEL, LS, PS) or cannot write them plainly.
_NEEDS_ESCAPES = frozenset("\x85\u2028\u2029\ufeff")


def _represent_str(representer: Any, data: str) -> Any:
    if any(ch in _NEEDS_ESCAPES or (not ch.isprintable() and ch != "\n") for ch in data):
        return representer.represent_scalar("tag:yaml.org,2002:str", data, style='"')
    return representer.represent_str(data)


def dump_scenario(scenario: Scenario) -> str:
    """Canonical YAML text of ``scenario``; ``load`` of it gives an equal scenario."""
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    # Keep the documented key order (ruamel's attribute is annotated as None, hence the ignore).
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    yaml.width = 100
    # After the options: touching ``yaml.representer`` builds it with the settings so far.
    yaml.representer.add_representer(str, _represent_str)
    stream = io.StringIO()
    yaml.dump(scenario_data(scenario), stream)
    return stream.getvalue()
