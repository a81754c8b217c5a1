"""No shell is ever given user input: the source never asks for one.

Connectors are started from ``--connector command:...`` text, which is split with ``shlex`` and
run as an argument vector. A single ``shell=True``, ``os.system`` or ``os.popen`` anywhere would
let a scenario, a profile or a command line inject commands; this test reads every Python file
Drawbridge ships or runs and fails on any of them (ruff's S602/S605 say the same for the
packages; this also covers examples/ and is not silenced by a noqa).
"""

from __future__ import annotations

import re
from pathlib import Path

from reliability_kit import ROOT

FORBIDDEN = re.compile(r"shell\s*=\s*True|\bos\.system\s*\(|\bos\.popen\s*\(|"
                       r"\bcommands\.getoutput\s*\(|\bsubprocess\.getoutput\s*\(|"
                       r"\bsubprocess\.getstatusoutput\s*\(|\bpty\.spawn\s*\(")
SHIPPED = ("fake_core_bank", "harness", "examples", "bench")


def sources() -> list[Path]:
    return sorted(p for folder in SHIPPED for p in (ROOT / folder).rglob("*.py"))


def test_the_scan_sees_the_code_it_guards() -> None:
    found = {p.relative_to(ROOT).as_posix() for p in sources()}
    assert "harness/drivers/command.py" in found
    assert "harness/cli/main.py" in found
    assert len(found) > 100


def test_no_source_file_starts_a_shell() -> None:
    hits = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
            for path in sources()
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if FORBIDDEN.search(line)]
    assert hits == []


def test_the_pattern_catches_each_form() -> None:
    for line in ('subprocess.run(cmd, shell=True)', 'os.system("ls " + name)',
                 "os.popen(cmd).read()", "subprocess.getoutput(cmd)", "shell = True"):
        assert FORBIDDEN.search(line), line
