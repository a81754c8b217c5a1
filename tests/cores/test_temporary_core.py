"""A core model written outside Drawbridge, in a temporary directory, is served, run, certified
and mutated through the command line and the pytest plugin, with no file of Drawbridge changed
(issue 17, "Done when").

The model is a bank's own variant of a lending API: two versions only (``v2`` and ``v3``: no
``v1``), its own contract files (with its own title and problem-type namespace), adapters that
say its refusals in its own problem types, its own scenarios and profile, and evolution rules of
its own (no rollback). Everything reaches Drawbridge through ``--core tempbank.core:core`` (or
``--drawbridge-core``) and ``PYTHONPATH``; nothing is registered anywhere.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
DRAWBRIDGE = str(Path(sys.executable).with_name("drawbridge"))
REFERENCE = "python:examples.connectors.reference_py:ReferenceConnector"
SPEC = "tempbank.core:core"

pytestmark = pytest.mark.slow

CORE = '''
"""A bank's own core model: Drawbridge knows it only by --core tempbank.core:core."""

from pathlib import Path
from typing import Any

from fake_core_bank.cores import CoreModel, Evolution
from fake_core_bank.http.adapters.v2 import V2
from fake_core_bank.http.adapters.v3 import V3

HERE = Path(__file__).resolve().parent
TYPES = "https://tempbank.example/errors/"


class Ours:
    """Our refusals name our own problem types."""

    def problem(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        body = super().problem(*args, **kwargs)  # type: ignore[misc]
        body["type"] = TYPES + body["type"].rsplit("/", 1)[-1]
        return body


class TempV2(Ours, V2):
    pass


class TempV3(Ours, V3):
    pass


core = CoreModel(
    name="tempbank",
    title="Temp Bank lending API",
    versions=("v2", "v3"),
    contracts={v: HERE / "contracts" / f"{v}.yaml" for v in ("v2", "v3")},
    adapters={"v2": TempV2(), "v3": TempV3()},
    evolution=Evolution(rollback=False),
    library=False,
    scenarios=(HERE / "scenarios",),
    profiles=(HERE / "profiles",),
    docs={"api": "https://tempbank.example/docs"},
)
'''

PROFILE = """\
format: drawbridge/profile@1
id: temp-v2
title: Temp Bank lending API v2
version: v2
must: [frozen-line, lock-period-case-study]
"""

SCENARIOS = ("line-state/frozen-line.yaml", "line-state/lock-period-case-study.yaml")


@pytest.fixture(scope="module")
def tempbank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``<tmp>/tempbank``: the core model package; its parent goes on PYTHONPATH."""
    root = tmp_path_factory.mktemp("outside")
    package = root / "tempbank"
    (package / "contracts").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "core.py").write_text(textwrap.dedent(CORE))
    for version in ("v2", "v3"):
        text = (ROOT / "contracts" / "core-banking" / f"{version}.yaml").read_text()
        text = re.sub(r"(?m)^  title: .*$", "  title: Temp Bank lending API", text, count=1)
        (package / "contracts" / f"{version}.yaml").write_text(text)
    (package / "scenarios").mkdir()
    for name in SCENARIOS:
        scenario = (ROOT / "scenarios" / name).read_text()
        # our versions: the library's lists name v1 too, which this core does not have
        scenario = re.sub(r"(?m)^versions: .*$", "versions: [v2, v3]", scenario)
        (package / "scenarios" / Path(name).name).write_text(scenario)
    (package / "profiles").mkdir()
    (package / "profiles" / "temp-v2.yaml").write_text(PROFILE)
    return root


def env(tempbank: Path) -> dict[str, str]:
    paths = [str(tempbank), str(ROOT), os.environ.get("PYTHONPATH", "")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}


def drawbridge(tempbank: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([DRAWBRIDGE, *args], capture_output=True, text=True, cwd=cwd,
                          env=env(tempbank), timeout=600, check=False)


def test_it_is_served_with_its_versions_and_rules(tempbank: Path, tmp_path: Path) -> None:
    server = subprocess.Popen([DRAWBRIDGE, "serve", "--core", SPEC, "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              cwd=tmp_path, env=env(tempbank))
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert "(core tempbank, versions v2, v3," in line, line
        url = re.search(r"http://127\.0\.0\.1:\d+", line)
        assert url is not None, line
        base = url.group(0)
        index = httpx.get(base + "/").json()
        assert index["core"] == "tempbank" and sorted(index["apis"]) == ["v2", "v3"]
        assert index["docs"] == {"api": "https://tempbank.example/docs"}
        assert httpx.get(base + "/v1/credit-lines/CL000001").status_code == 404  # not ours
        missing = httpx.get(base + "/v2/credit-lines/NOPE").json()
        assert missing["type"].startswith("https://tempbank.example/errors/"), missing
        # its evolution rules: no rollback, a version it lacks is named
        refused = httpx.post(base + "/_control/versions/rollback", json={"to": "v2"})
        assert refused.status_code == 400 and "does not roll back" in refused.text, refused.text
        unknown = httpx.put(base + "/_control/versions", json={"serve": ["v1"]})
        assert unknown.status_code == 400 and "v1" in unknown.text, unknown.text
    finally:
        server.terminate()
        server.communicate(timeout=30)  # reaps it and closes its pipes


def test_it_is_run_certified_and_mutated_through_the_cli(tempbank: Path,
                                                         tmp_path: Path) -> None:
    ran = drawbridge(tempbank, tmp_path, "run", "--core", SPEC, "--connector", REFERENCE,
                     "--out", "run", "--no-progress")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    results = json.loads((tmp_path / "run" / "results.json").read_text())
    assert sorted({r["scenario"] for r in results["results"]}) == [
        "frozen-line", "lock-period-case-study"]
    assert {r["version"] for r in results["results"]} == {"v2", "v3"}

    certified = drawbridge(tempbank, tmp_path, "certify", "--core", SPEC, "--connector",
                           REFERENCE, "--profile", "temp-v2", "--out", "cert", "--no-history",
                           "--no-progress")
    assert certified.returncode == 0, certified.stdout + certified.stderr
    certificate = json.loads((tmp_path / "cert" / "certificate.json").read_text())
    assert certificate["profile"]["id"] == "temp-v2"
    assert list(certificate["inputs"]["contracts"]) == ["contracts/v2.yaml"]
    assert (tmp_path / "cert" / "report.html").is_file()

    mutated = drawbridge(tempbank, tmp_path, "mutate", "--core", SPEC, "--connector", REFERENCE,
                         "--profile", "temp-v2", "--operators", "retry-refusals", "--out", "mut")
    assert mutated.returncode == 0, mutated.stdout + mutated.stderr
    report = json.loads((tmp_path / "mut" / "mutation.json").read_text())
    assert report["profile"]["id"] == "temp-v2"
    assert report["score"] == {"killed": 1, "mutants": 1, "value": 1.0}, report["mutants"]


def test_the_built_in_core_refuses_what_only_the_temporary_core_has(tempbank: Path,
                                                                    tmp_path: Path) -> None:
    """Without --core the same profile is unknown: nothing was added to Drawbridge."""
    done = drawbridge(tempbank, tmp_path, "certify", "--connector", REFERENCE, "--profile",
                      "temp-v2", "--out", "cert", "--no-history", "--no-progress")
    assert done.returncode == 2
    assert "--profile: unknown profile 'temp-v2'" in done.stderr, done.stderr


def test_it_runs_through_the_pytest_plugin(tempbank: Path, tmp_path: Path) -> None:
    scenarios = tempbank / "tempbank" / "scenarios"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         "--drawbridge-core", SPEC, "--drawbridge-connector", REFERENCE,
         "--rootdir", str(tmp_path), str(scenarios)],
        capture_output=True, text=True, cwd=tmp_path, env=env(tempbank), timeout=600,
        check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "4 passed" in done.stdout, done.stdout[-2000:]
    shutil.rmtree(tmp_path / "reports", ignore_errors=True)


def test_a_bad_core_option_of_the_plugin_is_a_usage_error(tempbank: Path,
                                                           tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         "--drawbridge-core", "tempbank.core:nothing", "--rootdir", str(tmp_path), str(tmp_path)],
        capture_output=True, text=True, cwd=tmp_path, env=env(tempbank), timeout=300,
        check=False)
    assert done.returncode == 4, done.stdout + done.stderr
    assert "--drawbridge-core" in done.stderr and "is not a CoreModel" in done.stderr
