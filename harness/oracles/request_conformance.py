"""Every request the connector sends conforms to the contract of the version it targets.

The fake validates each request against the contract named by its path prefix and journals the
problems; a request to a path or method the contract does not have is a problem too.
"""

from __future__ import annotations

from fake_core_bank import cores
from harness.evidence import Finding
from harness.oracles.context import Context, answered_by

NAME = "request-conformance"
MAX_PER_STEP = 3


def check(ctx: Context) -> list[Finding]:
    findings = []
    model = cores.active()
    for record in ctx.operations:
        reported = 0
        for entry in ctx.exchanges(record):
            problems = list(entry.get("request_violations") or [])
            version = entry.get("version")
            # After an in-place upgrade the version's URLs answer with a newer contract.
            contract = answered_by(entry)
            if not problems and entry.get("operation_id") is None and contract in model.versions:
                _, path = model.routing.split(entry["path"], frozenset(model.versions))
                op, _, exists = model.contract(contract).match(entry["method"], path)
                if op is None:
                    problems = [f"{entry['method']} {path} is not an operation of the "
                                f"{contract} contract" + (" (wrong method)" if exists else "")]
            if problems and reported < MAX_PER_STEP:
                reported += 1
                findings.append(Finding(
                    NAME, f"{record.step}: {entry['method']} {entry['path']} does not conform "
                    f"to contract {contract}" + (f" (serving {version}'s URLs in place)"
                                                 if contract != version else ""),
                    step=record.step,
                    expected="a request valid under " + (
                        model.contract_name(contract) if contract in model.versions
                        else f"contract {contract}"),
                    observed="; ".join(problems[:5]), journal=[entry["seq"]],
                ))
    return findings
