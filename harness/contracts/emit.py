"""Turn a contract diff into scenarios: one per operation that client-breaking changes reach.

Each change that breaks clients (severity breaking, audience clients or both) is exercised by
the scenario operation that calls the contract operation it sits in. Changes reaching the same
operation share one ``drawbridge/scenario@1`` file, which lists them all: the scenario for one
operation is the same whichever of its changes it is asked about, so one file per change only
repeats it (v1 -> v2 would be a hundred copies of five scenarios).

The file exercises the operation for a connector built for the OLD version against a core that
serves the NEW one. The core starts with both versions live; any set-up the operation needs (a
drawdown to read or repay) happens on OLD; then the core upgrades to NEW *in place*: OLD's URLs
now answer with NEW's contract, as when a bank upgrades its core without keeping the old API. A
connector still on OLD meets the new core, and the operation must still succeed -- so it fails
for a change's own reason (request-conformance names the field, a parse failure names the
response), not a blanket 410.

>>> written, skipped = emit_scenarios(changes, old, new, Path("out"))  # doctest: +SKIP
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from fake_core_bank import cores
from fake_core_bank.errors import InputError
from harness.contracts.model import Audience, Change, Severity
from harness.contracts.normalise import Contract
from harness.paths import write_atomic
from harness.scenarios.dump import dump_scenario
from harness.scenarios.loader import load_scenario

#: operationIds no scenario operation performs but one exercises: get-line reads the same
#: CreditLine a listing does (the others come from the core model's ``operations``)
ALSO_EXERCISED = {"listCustomerCreditLines": "get-line"}
#: the scenario operations, in the order their files are written
SCENARIO_OPERATIONS = ("get-line", "draw-down", "get-drawdown", "activate", "repay")
#: operations no scenario operation reaches, and why
UNREACHABLE = {
    "getCustomer": "no scenario operation reads a customer",
    "listDrawdowns": "no scenario operation lists drawdowns",
    "getSystemStatus": "no scenario operation reads the system status",
}
#: rules without an operation that every operation meets: the first call shows them
EVERY_OPERATION = {"base-path-changed": "get-line"}

CLOCK = "2026-03-02T09:00:00+08:00"
AMOUNT = "10000.00 CNY"


@dataclass(frozen=True)
class Skipped:
    """A client-breaking change that no scenario can exercise, and why."""

    change: Change
    reason: str

    def __str__(self) -> str:
        return f"{self.change.rule} at {self.change.location}: {self.reason}"


def client_breaking(changes: list[Change]) -> list[Change]:
    """The changes that break an unchanged connector for sure, in report order."""
    return [c for c in changes if c.severity is Severity.BREAKING
            and c.audience in (Audience.CLIENTS, Audience.BOTH)]


def contract_version(contract: Contract) -> str:
    """``v2`` from the server URL (``/v2``), else from the file name (``v2.yaml``)."""
    candidates = [s.rstrip("/").rsplit("/", 1)[-1] for s in contract.servers[:1]]
    candidates.append(contract.source.stem)
    known = cores.active().versions
    for name in candidates:
        if name in known:
            return name
    raise InputError(str(contract.source), "cannot tell which core version this contract is "
                     f"(servers[0].url and the file name name none of {', '.join(known)})",
                     "emit scenarios from contracts served under /" + ", /".join(known))


def operation_ids(*contracts: Contract) -> dict[str, str]:
    """``"GET /credit-lines/{lineId}"`` -> ``"getCreditLine"``, over both documents."""
    out: dict[str, str] = {}
    for contract in contracts:
        for ops in contract.paths.values():
            for op in ops.values():
                if op.operation_id:
                    out.setdefault(op.label, op.operation_id)
    return out


def scenario_op(change: Change, ids: dict[str, str]) -> tuple[str | None, str]:
    """The ``do:`` that exercises ``change``, or None and the reason none does."""
    if not change.operation:
        do = EVERY_OPERATION.get(change.rule)
        return (do, "") if do else (None, "a document-level change no operation exercises")
    op_id = ids.get(change.operation)
    do = cores.active().operation_of(op_id or "") or ALSO_EXERCISED.get(op_id or "")
    if do is not None:
        return do, ""
    if op_id in UNREACHABLE:
        return None, f"{op_id}: {UNREACHABLE[op_id]}"
    return None, f"{op_id or change.operation} has no scenario operation"


def _timeline(do: str, new: str, old: str) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = []
    if do in ("get-drawdown", "repay"):
        steps.append({"at": "+0s", "do": "draw-down", "name": "draw", "line": "CL000001",
                      "amount": AMOUNT, "purpose": "WC01",
                      "expect": {"outcome": ["succeeded", "pending"]}})
    if do == "repay":  # a v3 drawdown settles when polled; a repayment needs it settled
        steps.append({"at": "+1m", "do": "get-drawdown", "name": "settle", "ref": "draw",
                      "expect": {"outcome": "succeeded"}})
    steps.append({"at": "+1h", "event": "upgrade", "name": "upgrade", "to": new,
                  "inPlace": True})
    exercise: dict[str, Any] = {"at": "+2h", "do": do, "name": "exercise"}
    if do == "get-drawdown":
        exercise["ref"] = "draw"
    else:
        exercise["line"] = "CL000001"
    if do in ("draw-down", "repay"):
        exercise["amount"] = AMOUNT
    if do == "draw-down":
        exercise["purpose"] = "WC01"
    outcomes = ["succeeded", "pending"] if do == "draw-down" else "succeeded"
    exercise["expect"] = {"outcome": outcomes}
    return [*steps, exercise]


def _describe(change: Change) -> str:
    where = change.location + (f" (schema {', '.join(change.schemas)})" if change.schemas else "")
    return (f"{change.rule} ({change.severity.label}, breaks {change.audience.value}) at "
            f"{where}: {change.message}")


def scenario_document(changes: list[Change], do: str, scenario_id: str, old: str,
                      new: str) -> dict[str, Any]:
    """The scenario for the changes one operation meets, in file layout (docs/scenario-format.md).
    """
    line: dict[str, Any] = {"id": "CL000001", "customer": "ENT000001",
                            "limit": "300000.00 CNY"}
    if do == "activate":  # only a line pending activation can be activated
        line["status"] = "PENDING_ACTIVATION"
    rules = sorted({c.rule for c in changes})
    listed = "\n".join(f"- {_describe(c)}" for c in changes)
    return {
        "format": "drawbridge/scenario@1",
        "id": scenario_id,
        "title": f"diff {old}->{new}: `{do}` after an in-place upgrade "
                 f"({len(changes)} breaking change{'s' if len(changes) > 1 else ''})",
        "cause": "integration",
        "versions": [new],
        "description": (
            f"Generated by `drawbridge diff --emit-scenarios` from the {old} -> {new} contract "
            f"diff. The core serves {old} and {new}, then upgrades in place: {old}'s URLs "
            f"answer with {new}'s contract. A connector built for {old} meets the new core, and "
            f"its `{do}` must still succeed. The client-breaking changes this operation meets:"
            f"\n{listed}\n"),
        "tags": ["contract-diff", f"{old}-to-{new}", *rules],
        "given": {"clock": CLOCK, "serve": [old, new],
                  "customers": [{"id": "ENT000001"}], "lines": [line]},
        "timeline": _timeline(do, new, old),
    }


def emit_scenarios(changes: list[Change], old: Contract, new: Contract,
                   out_dir: Path) -> tuple[list[Path], list[Skipped]]:
    """Write one scenario per operation that client-breaking changes reach into ``out_dir``.

    Returns the written files (in operation order: get-line, draw-down, get-drawdown, activate,
    repay) and the skipped changes. The same diff always writes the same files, byte for byte.
    Each file is loaded back with the scenario loader before it is rewritten in canonical form,
    so a written file is always valid.
    """
    old_version, new_version = contract_version(old), contract_version(new)
    if old_version == new_version:
        raise InputError(str(new.source), f"OLD and NEW are both {old_version}: an upgrade "
                         "scenario needs two versions",
                         "emit scenarios from two different versions, e.g. v1.yaml v2.yaml")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(str(out_dir), f"cannot create the directory: {exc.strerror}",
                         "choose a writable path for --emit-scenarios") from None
    ids = operation_ids(new, old)
    by_operation: dict[str, list[Change]] = {do: [] for do in SCENARIO_OPERATIONS}
    skipped: list[Skipped] = []
    for change in client_breaking(changes):
        do, reason = scenario_op(change, ids)
        if do is None:
            skipped.append(Skipped(change, reason))
        else:
            by_operation[do].append(change)
    written: list[Path] = []
    for do, met in by_operation.items():
        if not met:
            continue
        scenario_id = _slug(f"diff-{old_version}-{new_version}-{do}")
        path = out_dir / f"{scenario_id}.yaml"
        _write_yaml(path, scenario_document(met, do, scenario_id, old_version, new_version))
        write_atomic(path, dump_scenario(load_scenario(path)))
        written.append(path)
    return written, skipped


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")[:64]


def _write_yaml(path: Path, data: dict[str, Any]) -> None:
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    text = io.StringIO()
    yaml.dump(data, text)
    try:
        write_atomic(path, text.getvalue())
    except OSError as exc:
        raise InputError(str(path), f"cannot write the scenario: {exc.strerror}",
                         "choose a writable path for --emit-scenarios") from None
