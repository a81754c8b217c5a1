"""contracts/CHANGELOG.md lists every breaking change `drawbridge diff` finds (v1->v2, v2->v3).

Matching rule (harness/contracts/changelog.py, docs/contract-diff.md "CHANGELOG matching"): a
change is covered by a row of the new version's table when the row names one of the change's
component-schema locators (`schema Drawdown.currency`, or a whole `schema Problem`), or names
its operation (or `*`) and its field.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from diff_helpers import write

from harness.contracts import Audience, Change, Severity, diff_files
from harness.contracts.changelog import Row, covering_row, parse_changelog

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts" / "core-banking"
CHANGELOG = ROOT / "contracts" / "CHANGELOG.md"


def undocumented(changes: list[Change], rows: list[Row]) -> list[str]:
    return sorted({f"{c.rule} at {c.location} {list(c.schemas)}" for c in changes
                   if c.severity is Severity.BREAKING and covering_row(c, rows) is None})


def changelog_rows(version: str) -> list[Row]:
    return parse_changelog(CHANGELOG.read_text(encoding="utf-8")).get(version, [])


@pytest.mark.parametrize(("old", "new"), [("v1", "v2"), ("v2", "v3")])
def test_every_breaking_change_is_in_the_changelog(old, new):
    rows = changelog_rows(new)
    assert rows, f"CHANGELOG has no table for {new}"
    missing = undocumented(diff_files(CONTRACTS / f"{old}.yaml", CONTRACTS / f"{new}.yaml"), rows)
    assert not missing, f"{len(missing)} breaking changes {old}->{new} not in CHANGELOG:\n" + \
        "\n".join(missing)


def test_an_undocumented_breaking_change_is_caught(tmp_path):
    """A v3 copy that also drops CreditLine.customerId (breaks clients) is not covered."""
    v3 = yaml.safe_load((CONTRACTS / "v3.yaml").read_text(encoding="utf-8"))
    edited = copy.deepcopy(v3)
    line = edited["components"]["schemas"]["CreditLine"]
    del line["properties"]["customerId"]
    line["required"].remove("customerId")
    changes = diff_files(CONTRACTS / "v2.yaml", write(tmp_path / "v3.json", edited))
    missing = undocumented(changes, changelog_rows("v3"))
    assert missing, "a breaking change missing from the CHANGELOG went unnoticed"
    assert all("customerId" in m and "CreditLine.customerId" in m for m in missing)
    assert any("GET /credit-lines/{lineId} response 200 .customerId" in m for m in missing)


def test_changes_name_the_component_schema_they_sit_in():
    changes = diff_files(CONTRACTS / "v1.yaml", CONTRACTS / "v2.yaml")
    currency = next(c for c in changes if c.rule == "request-required-property-added"
                    and c.location.startswith("POST /credit-lines/{lineId}/drawdowns"))
    assert currency.schemas == ("DrawdownRequest.currency",)
    amount = next(c for c in changes if c.location ==
                  "GET /credit-lines/{lineId}/drawdowns response 200 .items[].amount")
    # the inner schema first, then the objects that hold it
    assert amount.schemas == ("YuanAmount", "MinorAmount", "Drawdown.amount",
                              "DrawdownList.items[].amount")
    # error bodies are `allOf: [Error|Problem, {...}]`: the named part is the location
    code = next(c for c in changes if c.location ==
                "POST /credit-lines/{lineId}/drawdowns response 404 .code")
    assert code.schemas == ("Error.code", "Problem.code")


def test_a_row_naming_a_whole_schema_covers_its_fields_but_not_lookalikes():
    rows = parse_changelog("## v9\n| id | change | where |\n|---|---|---|\n"
                           "| v9-01 | problems | `schema Problem` |\n")["v9"]

    def change(schemas: tuple[str, ...]) -> Change:
        return Change(Severity.BREAKING, "GET /x", "response 400 .title",
                      "response-required-property-added", "m", Audience.PROVIDERS, schemas)

    assert covering_row(change(("Problem.title",)), rows) is rows[0]
    assert covering_row(change(("ProblemDetails.title",)), rows) is None
    assert covering_row(change(()), rows) is None
