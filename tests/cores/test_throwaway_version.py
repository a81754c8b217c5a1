"""Adding a version to the built-in core touches its contract, its adapter and the CHANGELOG,
and nothing else (issue 17): a throwaway v4 in a temporary core model, made of exactly those
(a contract, an adapter, the model that lists them), runs the scenario library and certifies.

v4 is v3 plus a required ``channel`` on every drawdown it shows. The library is written against
v1-v3; the temporary model runs its v3 scenarios at v4 (``library_versions``), which is what a
bank does when it checks that its next version still passes yesterday's library. Its connector
is the reference connector taught to address ``/v4``, as a vendor would ship it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DRAWBRIDGE = str(Path(sys.executable).with_name("drawbridge"))
SPEC = "throwaway.core:core"
CONNECTOR = "python:throwaway.connector:V4Connector"

pytestmark = pytest.mark.slow

CORE = '''
"""The built-in lending core plus a v4: its contract and its adapter, nothing else."""

from pathlib import Path
from typing import Any

from fake_core_bank import lending
from fake_core_bank.cores import CoreModel
from fake_core_bank.domain.model import Drawdown
from fake_core_bank.http.adapters.v3 import V3

HERE = Path(__file__).resolve().parent


class V4(V3):
    version = "v4"

    def drawdown(self, d: Drawdown) -> dict[str, Any]:
        return {**super().drawdown(d), "channel": "api"}


built_in = lending.core
core = CoreModel(
    name="lending-next",
    versions=(*built_in.versions, "v4"),
    contracts={**built_in.contracts, "v4": HERE / "contracts" / "v4.yaml"},
    adapters={**built_in.adapters, "v4": V4()},
    operations=built_in.operations,
    library_versions={"v1": "v1", "v2": "v2", "v3": "v4"},
)
'''

CONNECTOR_SOURCE = '''
"""The reference connector, released for v4 (it speaks v4 as it spoke v3)."""

from typing import Any

from examples.connectors.reference_py import connector as reference


class V4Connector(reference.ReferenceConnector):
    DRAWBRIDGE = {"name": "reference-v4", "version": "2.0.0", "contracts": ["v2", "v3", "v4"]}

    def __init__(self, bank_url: str, *, version: str) -> None:
        super().__init__(bank_url, version=version)
        if version == "v4":
            self.version = "v4"

    def draw_down(self, line_id: str, amount_minor: int, currency: str, *, account: str,
                  purpose: str | None, intent: str) -> dict[str, Any]:
        if self.version == "v4" and not purpose:
            purpose = "WC01"  # v4 requires a purpose, as v3 did
        return super().draw_down(line_id, amount_minor, currency, account=account,
                                 purpose=purpose, intent=intent)
'''


@pytest.fixture(scope="module")
def throwaway(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("throwaway")
    package = root / "throwaway"
    (package / "contracts").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "core.py").write_text(textwrap.dedent(CORE))
    (package / "connector.py").write_text(textwrap.dedent(CONNECTOR_SOURCE))
    v3 = (ROOT / "contracts" / "core-banking" / "v3.yaml").read_text()
    v4 = v3.replace("  - url: /v3\n", "  - url: /v4\n", 1)
    v4 = v4.replace("  version: 3.0.0", "  version: 4.0.0", 1)
    v4, found = re.subn(
        r"(\n    Drawdown:\n      type: object\n(?:      #.*\n)*      required: \[)([^\]]*)\]"
        r"(\n      properties:\n)",
        r"\1\2, channel]\3        channel: {type: string, enum: [api, branch]}\n", v4, count=1)
    assert found == 1, "the v3 contract's Drawdown schema moved: update this test"
    (package / "contracts" / "v4.yaml").write_text(v4)
    return root


def drawbridge(root: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    paths = [str(root), str(ROOT), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    return subprocess.run([DRAWBRIDGE, *args, "--no-progress"], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=900, check=False)


def test_the_library_runs_at_the_throwaway_v4(throwaway: Path, tmp_path: Path) -> None:
    done = drawbridge(throwaway, tmp_path, "run", "--core", SPEC, "--connector", CONNECTOR,
                      "--versions", "v4", "--jobs", "2", "--out", "run")
    results = json.loads((tmp_path / "run" / "results.json").read_text())
    failed = [(r["scenario"], r["version"]) for r in results["results"]
              if r["verdict"] != "pass"]
    assert done.returncode == 0 and not failed, (failed, done.stderr[-2000:])
    ran = {r["scenario"] for r in results["results"]}
    assert len(ran) >= 20, ran  # the library's v3 scenarios, each at v4
    assert {r["version"] for r in results["results"]} == {"v4"}
    # the connector spoke v4, and the bank answered with v4's new field
    used = {v for r in results["results"] for v in r.get("versionsUsed", [])}
    assert "v4" in used, used


def test_the_library_profile_certifies_at_v4(throwaway: Path, tmp_path: Path) -> None:
    done = drawbridge(throwaway, tmp_path, "certify", "--core", SPEC, "--connector", CONNECTOR,
                      "--profile", "v3", "--jobs", "2", "--out", "cert", "--no-history")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    certificate = json.loads((tmp_path / "cert" / "certificate.json").read_text())
    assert certificate["core"] == "lending-next"
    assert certificate["versions"] == ["v4"]
    assert "contracts/v4.yaml" in certificate["inputs"]["contracts"]
