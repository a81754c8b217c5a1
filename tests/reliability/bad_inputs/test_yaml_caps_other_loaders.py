"""The YAML caps of issue 15 item 7 on the readers that do not go through the scenario loader:
contract documents (PyYAML, for ``diff`` and ``verify-provider``) and ``--redact-rule`` files
of ``record``. The same hostile files as ``test_yaml_caps.py``, the same caps (one definition,
``harness.scenarios.yamlpos``): one line, exit 2, within the subprocess timeout.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_yaml import HOSTILE, refuse_hostile
from reliability_kit import ROOT

CONTRACT = ROOT / "contracts" / "core-banking" / "v2.yaml"
OPENAPI = "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\n"

KINDS = {
    "diff-old": (OPENAPI, lambda f: ("diff", f, str(CONTRACT))),
    "diff-new": (OPENAPI, lambda f: ("diff", str(CONTRACT), f)),
    "verify-provider": (OPENAPI, lambda f: ("verify-provider", "--base-url",
                                            "http://127.0.0.1:9", "--contract", f,
                                            "--no-progress")),
    "redact-rule": ("headers: [x-session]\n",
                    lambda f: ("record", "--upstream", "http://127.0.0.1:9", "--out",
                               str(Path(f).with_suffix(".jsonl")), "--redact-rule", f)),
}


@pytest.mark.parametrize("hostile", sorted(HOSTILE))
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_hostile_yaml_is_one_line_and_exit_2(kind: str, hostile: str, tmp_path: Path) -> None:
    head, command = KINDS[kind]
    target = tmp_path / f"{kind}.yaml"
    refuse_hostile(head, command, hostile, target, key="extra")
    assert not target.with_suffix(".jsonl").exists()


def test_a_real_contract_is_far_below_the_caps() -> None:
    """The largest real specification in tests/data still loads (the caps leave it room)."""
    from harness.contracts.loading import read_document

    largest = max((ROOT / "tests" / "data" / "real-specs").rglob("*.yaml"),
                  key=lambda p: p.stat().st_size)
    assert isinstance(read_document(largest), dict)


def test_a_contract_whose_alias_contains_itself_is_refused(tmp_path: Path) -> None:
    """PyYAML builds a self-containing list from ``&a [*a]``; every walk of it would recurse."""
    from fake_core_bank.errors import InputError
    from harness.contracts.loading import read_document

    target = tmp_path / "cycle.yaml"
    target.write_text(OPENAPI.replace("paths: {}", "paths: &a {x: [*a]}"), encoding="utf-8")
    with pytest.raises(InputError, match="refers to a node that contains it"):
        read_document(target)
