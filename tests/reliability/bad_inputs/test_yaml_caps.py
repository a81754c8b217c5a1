"""Hostile YAML (issue 15 item 7): alias bombs, runaway nesting and huge files.

Every Drawbridge YAML file (scenarios, matrices, profiles, baselines) goes through one loader,
``harness.scenarios.yamlpos``; each hostile file is fed to the command that reads that kind of
file and must end in one line and exit 2 within the subprocess timeout, never a traceback, a
RecursionError or gigabytes of memory.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_yaml import HOSTILE, refuse_hostile
from reliability_kit import REFERENCE

SCENARIO = "format: drawbridge/scenario@1\n"
MATRIX = f"format: drawbridge/matrix@1\nconnectors: [{REFERENCE}]\nversions: [v2]\n"
PROFILE = "format: drawbridge/profile@1\nid: x\ntitle: x\nversion: v2\n"
BASELINE = "format: drawbridge/baseline@1\n"


KINDS = {
    "scenario": (SCENARIO, lambda f: ("validate", f)),
    "matrix": (MATRIX, lambda f: ("matrix", f)),
    "profile": (PROFILE, lambda f: ("certify", "--connector", REFERENCE, "--profile", f)),
    "baseline": (BASELINE, lambda f: ("certify", "--connector", REFERENCE, "--profile", "v2",
                                      "--baseline", f)),
}


@pytest.mark.parametrize("hostile", sorted(HOSTILE))
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_hostile_yaml_is_one_line_and_exit_2(kind: str, hostile: str, tmp_path: Path) -> None:
    head, command = KINDS[kind]
    refuse_hostile(head, command, hostile, tmp_path / f"{kind}.yaml")
