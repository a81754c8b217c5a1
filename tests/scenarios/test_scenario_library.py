"""Libraries: directory trees, sorted, profiles/ and schema/ skipped, unique ids."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fake_core_bank.errors import InputError
from harness.scenarios import load_library

GOOD = Path(__file__).parent / "good"


def _scenario(path: Path, scenario_id: str) -> None:
    text = (GOOD / "full-example.yaml").read_text(encoding="utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace("id: lock-period-case-study", f"id: {scenario_id}"), "utf-8")


def test_directory_tree_loads_sorted_and_skips_profiles_schema_and_fragments(
    tmp_path: Path,
) -> None:
    root = tmp_path / "scenarios"
    _scenario(root / "z-last.yaml", "z-last")
    _scenario(root / "line-state" / "b.yaml", "b-scenario")
    _scenario(root / "line-state" / "a.yaml", "a-scenario")
    (root / "profiles").mkdir()
    (root / "profiles" / "must.yaml").write_text("profile: not a scenario\n", "utf-8")
    (root / "schema").mkdir()
    (root / "schema" / "x.yaml").write_text("- not a scenario\n", "utf-8")
    shutil.copytree(GOOD / "common", root / "common")  # a fragment: loaded via includes only
    (root / "notes.txt").write_text("ignored", "utf-8")
    ids = [s.id for s in load_library([root])]
    assert ids == ["a-scenario", "b-scenario", "z-last"]


def test_files_and_directories_mix_and_each_file_loads_once(tmp_path: Path) -> None:
    _scenario(tmp_path / "lib" / "one.yaml", "one-scenario")
    ids = [s.id for s in load_library([tmp_path / "lib", tmp_path / "lib" / "one.yaml"])]
    assert ids == ["one-scenario"]


def test_duplicate_id_names_both_files(tmp_path: Path) -> None:
    _scenario(tmp_path / "a.yaml", "same-id")
    _scenario(tmp_path / "b.yaml", "same-id")
    with pytest.raises(InputError) as caught:
        load_library([tmp_path])
    message = str(caught.value)
    assert "\n" not in message
    assert "b.yaml:2:5 id: duplicate scenario id 'same-id', also in " in message
    assert "a.yaml" in message and "fix: give each scenario its own id" in message


def test_directory_without_scenarios(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"empty: no scenario files \(\*\.yaml\).*; fix: "):
        load_library([tmp_path / "empty"])


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope: no such file or directory"):
        load_library([tmp_path / "nope"])
    with pytest.raises(InputError, match=r"gone\.yaml: file not found"):
        load_library([tmp_path / "gone.yaml"])


def test_first_bad_file_stops_the_library(tmp_path: Path) -> None:
    _scenario(tmp_path / "a.yaml", "fine-one")
    (tmp_path / "b.yaml").write_text("format: drawbridge/scenario@1\nid: x\n", "utf-8")
    with pytest.raises(InputError, match=r"b\.yaml:1:1 title: missing required key 'title'"):
        load_library([tmp_path])
