"""`make demo` shows the gateway core beside the built-in one (harness.demo's --also section)."""

from __future__ import annotations

import json
import re

import pytest
from rich.console import Console

from harness import demo
from tests.cores.gateway.gateway_kit import REFERENCE, ROOT, SPEC


def test_the_demo_section_certifies_the_gateway_reference_against_its_profile(
        tmp_path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(ROOT))
    console = Console(record=True, width=100)
    assert demo.show_core(console, SPEC, REFERENCE, "gateway-r2", progress=False)
    text = console.export_text()
    assert "versions r1, r2" in text and "r1 -> r2:" in text
    assert "profile gateway-r2: gate PASSED" in text
    certificate = tmp_path / "reports" / "certification" / "gateway-r2" / "certificate.json"
    assert json.loads(certificate.read_text())["profile"]["id"] == "gateway-r2"


def test_make_demo_runs_that_section_for_the_gateway_core():
    makefile = (ROOT / "Makefile").read_text()
    gateway = re.search(r"^GATEWAY := (\S+)$", makefile, re.MULTILINE)
    assert gateway is not None and f"{gateway.group(1)}:core" == SPEC
    recipe = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0].replace("\\\n", " ")
    assert re.search(r"harness\.demo --also \$\(GATEWAY\):core\s+"
                     r"python:\$\(GATEWAY\)\.connectors\.reference:ReferenceConnector\s+"
                     r"gateway-r2", recipe), recipe
