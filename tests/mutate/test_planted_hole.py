"""A library with a known hole: the operator only the removed MUST scenario covered survives, and
the report names it with the scenario that is missing."""

from __future__ import annotations

from pathlib import Path

from tests.mutate.mutate_kit import holed_profile, mutate

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
                   "--jobs", "2", "--min-score", "1")
    assert holed.code == 1, "the score fell below --min-score"
    assert holed.verdicts() == {"amount-through-float": "survived",
                                "strip-locked-until": "killed"}
    survivor = holed.report["mutants"][0]
    assert survivor["applicable"] == [], "no scenario left moves an amount floats cannot hold"
    assert survivor["hint"].startswith("no MUST scenario makes the bank book an amount binary "
                                       "floating point cannot hold")
    assert "amount-through-float: no MUST scenario makes the bank" in holed.stdout
    assert "mutation score 50.0% (1 of 2" in holed.stdout
    assert "below --min-score 1" in holed.stderr
