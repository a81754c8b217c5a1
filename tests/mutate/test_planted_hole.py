"""A library with a known hole: the operator only the removed MUST scenario covered no longer
applies, the report names it with the scenario that is missing, and --min-applicable fails the
gate (a profile cannot raise its score by dropping scenarios)."""

from __future__ import annotations

from pathlib import Path

from tests.mutate.mutate_kit import holed_profile, mutate, small_profile

OPERATORS = "amount-through-float,strip-locked-until"


def test_removing_the_one_must_scenario_that_covered_an_operator_lets_it_survive(
        tmp_path: Path) -> None:
    whole = mutate(tmp_path / "whole", "--profile", "v2", "--operators", OPERATORS,
                   "--jobs", "2")
    assert whole.code == 0, whole.stderr
    assert whole.verdicts() == {"amount-through-float": "killed", "strip-locked-until": "killed"}
    killer = whole.report["mutants"][0]["killedBy"]
    assert (killer["scenario"], killer["oracle"]) == ("amount-precision", "amount-fidelity")

    profile = holed_profile(tmp_path, "v2", "amount-precision")
    holed = mutate(tmp_path / "holed", "--profile", str(profile), "--operators", OPERATORS,
                   "--jobs", "2", "--min-score", "1", "--min-applicable", "2")
    assert holed.code == 1, "fewer operators applied than --min-applicable"
    assert holed.verdicts() == {"amount-through-float": "not applicable",
                                "strip-locked-until": "killed"}
    idle = holed.report["mutants"][0]
    assert idle["applicable"] == [], "no scenario left moves an amount floats cannot hold"
    assert idle["hint"].startswith("no MUST scenario makes the bank book an amount binary "
                                   "floating point cannot hold")
    # named apart from the survivors, and out of the score: the gate that holds the profile
    # to the operators it used to apply is --min-applicable, not --min-score
    assert holed.report["applicability"] == {"applied": 1, "operators": 2,
                                             "notApplicable": ["amount-through-float"]}
    assert "Not applicable (no mutant: left out of the score):\n  amount-through-float: no " \
           "MUST scenario makes the bank" in holed.stdout
    assert "mutation score 100.0% (1 of 1 mutants killed by a MUST scenario; 1 of 2 " \
           "operators applied)" in holed.stdout
    markdown = (holed.out / "mutation.md").read_text("utf-8")
    assert "| `amount-through-float` | not applicable |" in markdown
    assert "Not applicable (no mutant: left out of the score):\n\n- `amount-through-float`: no " \
           "MUST scenario makes the bank" in markdown
    assert "Survivors and late catches" not in markdown
    assert "below --min-score" not in holed.stderr
    assert ("1 operators applied, below --min-applicable 2 (not applicable: "
            "amount-through-float)") in holed.stderr


def test_a_survivor_that_applies_lowers_the_score(tmp_path: Path) -> None:
    # full-outage-retry-after's Retry-After: 1 is also the connector's default wait: stripping
    # it changes bytes of the traffic, and nothing fails (long-outage-retry-after kills it)
    profile = small_profile(tmp_path, "full-outage-retry-after")
    run = mutate(tmp_path / "out", "--profile", str(profile), "--operators",
                 "strip-retry-after", "--min-score", "1")
    assert run.code == 1
    assert run.verdicts() == {"strip-retry-after": "survived"}
    assert "mutation score 0.0% (0 of 1 mutants" in run.stdout
    assert "below --min-score 1" in run.stderr
