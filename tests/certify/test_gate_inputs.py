"""Profiles, baselines and shard specs: bad input is one line with the place and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from fake_core_bank.errors import InputError
from harness.certify.baseline import load_baseline
from harness.certify.profiles import load_profile, resolve_profile
from harness.engine.session import WorkItem, shard
from harness.scenarios.model import Scenario
from tests.certify.certify_kit import TODAY


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "message"), [
    ("format: drawbridge/profile@1\nid: x\ntitle: x\nversion: v2\nmust: [frozen-lin]\n",
     r"p\.yaml:5:\d+ must\[0\]: unknown scenario 'frozen-lin'; fix: did you mean 'frozen-line'"),
    ("format: drawbridge/profile@1\nid: x\ntitle: x\nversion: v9\nmust: []\n",
     r"p\.yaml:4:\d+ version: unknown version 'v9'"),
    ("format: drawbridge/profile@1\nid: x\ntitle: x\nversion: v1\nmust: [lock-period-case-study]\n",
     r"must\[0\]: scenario lock-period-case-study does not apply to v1"),
    ("format: drawbridge/profile@1\nid: x\ntitle: x\nversion: v2\nmust: [frozen-line]\n"
     "should: [frozen-line]\n", r"listed as both must and should"),
    ("format: drawbridge/profil@1\n", r"format 'drawbridge/profil@1' is not"),
    ("format: drawbridge/profile@1\nid: x\ntitle: x\nversion: v2\nmust: [frozen-line]\nmusts: []\n",
     r"unknown key 'musts'; fix: did you mean 'must'"),
])
def test_bad_profiles(tmp_path: Path, library: list[Scenario], text: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        load_profile(write(tmp_path, "p.yaml", text), library)
    assert "\n" not in str(caught.value) and "fix:" in str(caught.value)


def test_the_shipped_profiles_load(library: list[Scenario]) -> None:
    for name in ("v1", "v2", "v3"):
        profile = load_profile(resolve_profile(name), library)
        assert profile.version == name and profile.must


def test_unknown_profile_name_lists_the_known_ones() -> None:
    with pytest.raises(InputError, match=r"unknown profile 'v4'.*valid profiles: v1, v2, v3"):
        resolve_profile("v4")


@pytest.mark.parametrize(("text", "message"), [
    ("format: drawbridge/baseline@1\nwaivers:\n  - scenario: a\n    owner: o\n    reason: r\n"
     "    expires: tomorrow\n", r"b\.yaml:6:\d+ waivers\[0\]\.expires: 'tomorrow' is not a date"),
    ("format: drawbridge/baseline@1\nwaivers:\n  - scenario: a\n    reason: r\n"
     "    expires: 2027-01-01\n", r"missing required key 'owner'"),
    ("format: drawbridge/baseline@1\nwaivers:\n  - scenario: a\n    owner: o\n    reason: r\n"
     "    expires: 2027-01-01\n    expiry: 2027-01-01\n", r"unknown key 'expiry'"),
    ("format: drawbridge/baseline@1\nwaivers:\n  - scenario: a\n    owner: o\n    reason: r\n"
     "    expires: 2027-11-29\n", r"b\.yaml:6:\d+ waivers\[0\]\.expires: expiry 2027-11-29 is more "
     r"than one year after 2026-11-28 .*fix: give a date no later than 2027-11-28"),
])
def test_bad_baselines(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_baseline(write(tmp_path, "b.yaml", text), as_of=TODAY)


def test_shards_partition_the_plan(library: list[Scenario]) -> None:
    items = [WorkItem(s, "v2") for s in library]
    parts = [shard(items, f"{i}/3") for i in (1, 2, 3)]
    assert sorted(id(w) for p in parts for w in p) == sorted(id(w) for w in items)
    assert all(parts)
    with pytest.raises(InputError, match=r"--shard: shard 4 of 3 does not exist"):
        shard(items, "4/3")
    with pytest.raises(InputError, match=r"is not I/N"):
        shard(items, "two")
