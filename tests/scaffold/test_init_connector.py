"""Issue 16.7: `drawbridge init connector` writes a project that certifies against the v2 profile
as generated, with a README, a pytest file using the plugin's fixtures and a workflow gating on
can-release. Everything through the real console script, in a directory outside the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
import yaml

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env=env, check=False)


def init(tmp_path: Path, language: str) -> Path:
    project = tmp_path / "acme"
    done = run(str(BIN / "drawbridge"), "init", "connector", str(project), "--language",
               language, "--name", "acme-erp", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not project.resolve().is_relative_to(ROOT)
    return project


def certify(project: Path, spec: str) -> dict:
    done = run(str(BIN / "drawbridge"), "certify", "--connector", spec, "--profile", "v2",
               "--out", "cert", "--history", "history.sqlite", "--no-progress", cwd=project)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "gate: PASSED" in done.stdout
    return orjson.loads((project / "cert" / "certificate.json").read_bytes())


def check_workflow(project: Path, spec: str) -> None:
    workflow = yaml.safe_load((project / ".github" / "workflows" / "drawbridge.yml")
                              .read_text(encoding="utf-8"))
    assert workflow["env"]["CONNECTOR"] == spec
    steps = workflow["jobs"]["certify"]["steps"]
    commands = "\n".join(step.get("run", "") for step in steps)
    assert "drawbridge certify" in commands and "drawbridge can-release" in commands
    assert "|| true" not in commands


@pytest.mark.slow
def test_a_python_connector_certifies_and_its_tests_pass_as_generated(tmp_path: Path) -> None:
    project = init(tmp_path, "python")
    spec = "python:acme_erp.connector:AcmeErpConnector"
    certificate = certify(project, spec)
    assert [c["name"] + "@" + c["version"] for c in certificate["connectors"]] == \
        ["acme-erp@0.1.0"]
    gate = run(str(BIN / "drawbridge"), "can-release", "--connector", "acme-erp@0.1.0",
               "--core-version", "v2", "--history", "history.sqlite", cwd=project)
    assert gate.returncode == 0, gate.stdout + gate.stderr
    tests = run(str(BIN / "pytest"), "tests", "-q", "-p", "no:cacheprovider", cwd=project)
    assert tests.returncode == 0, tests.stdout[-3000:]
    assert "3 passed" in tests.stdout
    assert "drawbridge_bank.operation" in (project / "README.md").read_text(encoding="utf-8")
    check_workflow(project, spec)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_a_node_connector_certifies_and_its_tests_pass_as_generated(tmp_path: Path) -> None:
    project = init(tmp_path, "node")
    certificate = certify(project, "command:node connector.js")
    assert [c["name"] + "@" + c["version"] for c in certificate["connectors"]] == \
        ["acme-erp@0.1.0"]
    tests = run(str(BIN / "pytest"), "tests", "-q", "-p", "no:cacheprovider", cwd=project)
    assert tests.returncode == 0, tests.stdout[-3000:]
    check_workflow(project, "command:node connector.js")


def test_init_never_overwrites_and_refuses_a_bad_name(tmp_path: Path) -> None:
    project = init(tmp_path, "python")
    readme = project / "README.md"
    readme.write_text("mine", encoding="utf-8")
    again = run(str(BIN / "drawbridge"), "init", "connector", str(project), "--language",
                "python", "--name", "acme-erp", cwd=tmp_path)
    assert again.returncode == 2
    assert again.stderr.strip().splitlines() == [
        f"drawbridge: {project / 'README.md'}: already exists; fix: choose an empty or new "
        "directory; nothing was written"]
    assert readme.read_text(encoding="utf-8") == "mine"
    bad = run(str(BIN / "drawbridge"), "init", "connector", str(tmp_path / "x"), "--language",
              "python", "--name", "Acme ERP", cwd=tmp_path)
    assert bad.returncode == 2
    assert "--name: 'Acme ERP' is not a connector name" in bad.stderr
