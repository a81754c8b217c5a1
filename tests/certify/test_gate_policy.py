"""The written gate policy holds: every absolute rule has a MUST scenario wherever it applies.

docs/certification.md states the policy; scenarios/profiles/rules/gate-policy.yaml maps it to
scenarios; this test reads the mapping with the profiles (issue 13, part 3).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from fake_core_bank.errors import InputError
from harness.certify.gate_policy import Rule, gaps, load_gate_policy, policy_path
from harness.certify.profiles import Profile, load_profile, resolve_profile
from harness.scenarios.model import Scenario

DOC = Path(__file__).resolve().parents[2] / "docs" / "certification.md"
#: the rules the docs state as absolute (issue 13, part 3)
ABSOLUTE = {"tolerant-reader", "reason-from-code", "one-booking-per-intent",
            "honour-retry-after", "migrate-before-retirement"}


@pytest.fixture(scope="module")
def rules(library: list[Scenario]) -> list[Rule]:
    path = policy_path()
    assert path is not None
    return load_gate_policy(path, library)


@pytest.fixture(scope="module")
def profiles(library: list[Scenario]) -> dict[str, Profile]:
    return {v: load_profile(resolve_profile(v), library) for v in ("v1", "v2", "v3")}


def test_every_absolute_rule_has_a_must_scenario_at_every_version(
        rules: list[Rule], profiles: dict[str, Profile]) -> None:
    assert {r.id for r in rules} == ABSOLUTE
    assert gaps(rules, profiles) == []


def test_the_document_states_every_rule_as_the_mapping_does(rules: list[Rule]) -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "scenarios/profiles/rules/gate-policy.yaml" in text
    rows = {m["id"]: m["row"] for m in re.finditer(r"^\| `(?P<id>[a-z-]+)` \|(?P<row>.*)$",
                                                   text, re.MULTILINE)}
    assert set(rows) == {r.id for r in rules}, "docs/certification.md: one row per rule"
    for rule in rules:
        named = set(re.findall(r"`([a-z0-9-]+)`", rows[rule.id].rsplit("|", 2)[-2]))
        mapped = {s for ids in rule.must.values() for s in ids}
        assert named == mapped, f"{rule.id}: the document names {sorted(named)}, " \
            f"the gate policy maps {sorted(mapped)}"


def test_no_rule_waits_for_a_scenario(rules: list[Rule]) -> None:
    waiting = {(r.id, v) for r in rules for v in r.versions if not r.must.get(v)}
    assert waiting == set(), f"rules waiting for a MUST scenario: {sorted(waiting)}"


def test_removing_a_rules_scenarios_from_a_profile_fails_the_policy(
        rules: list[Rule], profiles: dict[str, Profile]) -> None:
    checked = 0
    for rule in rules:
        for version, scenarios in rule.must.items():
            profile = profiles[version]
            weakened = dataclasses.replace(
                profile, must=tuple(s for s in profile.must if s not in scenarios),
                should=profile.should + scenarios)
            problems = gaps(rules, {**profiles, version: weakened})
            assert any(p.startswith(f"{rule.id}@{version}: ") for p in problems), problems
            checked += 1
    assert checked >= 13


def test_removing_one_scenario_names_it(rules: list[Rule],
                                        profiles: dict[str, Profile]) -> None:
    v3 = profiles["v3"]
    weakened = dataclasses.replace(
        v3, must=tuple(s for s in v3.must if s != "tolerant-reader-minor-release"))
    assert gaps(rules, {**profiles, "v3": weakened}) == [
        "tolerant-reader@v3: tolerant-reader-minor-release mapped to the rule but not MUST in "
        f"{v3.path}; make it MUST or map another scenario"]


def test_a_rule_without_scenarios_at_a_version_is_a_gap(rules: list[Rule],
                                                        profiles: dict[str, Profile]) -> None:
    [retry] = [r for r in rules if r.id == "honour-retry-after"]
    bare = dataclasses.replace(retry, must={k: v for k, v in retry.must.items() if k != "v2"})
    assert gaps([bare], profiles) == [
        f"honour-retry-after@v2: the rule applies at v2 but no MUST scenario of "
        f"{profiles['v2'].path} enforces it; add one under must.v2 in the gate policy"]


@pytest.mark.parametrize(("text", "message"), [
    ("rules:\n  - id: x\n    rule: r\n    stated: s\n    versions: [v2]\n"
     "    must: {v2: [no-such-scenario]}\n",
     r"policy\.yaml:7:\d+ rules\[0\]\.must\.v2\[0\]: unknown scenario 'no-such-scenario'"),
    ("rules:\n  - id: x\n    rule: r\n    stated: s\n    versions: [v2]\n"
     "    must: {v2: [frozen-before-settlement]}\n",
     r"policy\.yaml:7:\d+ .*scenario frozen-before-settlement does not run at v2"),
    ("rules:\n  - id: x\n    rule: r\n    stated: s\n    versions: [v4]\n    must: {}\n",
     r"policy\.yaml:6:\d+ rules\[0\]\.versions\[0\]: unknown version 'v4'"),
    ("rules:\n  - id: x\n    rule: r\n    stated: s\n    versions: [v2]\n    must: {}\n"
     "    pendng: []\n", r"policy\.yaml:8:\d+ .*unknown key 'pendng'.*did you mean 'pending'"),
])
def test_a_bad_policy_file_fails_with_one_line(tmp_path: Path, library: list[Scenario],
                                               text: str, message: str) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("format: drawbridge/gate-policy@1\n" + text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        load_gate_policy(path, library)
    assert "\n" not in str(caught.value) and "; fix: " in str(caught.value)
