"""Issue 16.6: bad input that used to be misread as a connector failure (or a traceback) is
one line on stderr, exit 2, naming the real cause. Each case through the real console script."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DRAWBRIDGE = str(Path(sys.executable).parent / "drawbridge")


def cli(*args: str, cwd: Path, env: dict[str, str] | None = None,
        ) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([DRAWBRIDGE, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={**clean, **(env or {})}, check=False)


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, done.stdout[-2000:] + done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_a_command_connector_whose_script_is_missing(tmp_path: Path) -> None:
    line = one_line(cli("run", "--connector", "command:node nosuch.js", "--out", "out",
                        cwd=tmp_path))
    assert line.startswith("drawbridge: --connector: node nosuch.js exited with code 1 "
                           "before answering: Error: Cannot find module")
    assert not (tmp_path / "out" / "results.json").exists()  # not judged as a connector


def test_a_command_connector_that_dies_at_start_says_why(tmp_path: Path) -> None:
    script = tmp_path / "conn.py"
    script.write_text("import acme_missing_dependency\n", encoding="utf-8")
    line = one_line(cli("run", "--connector", f"command:{sys.executable} conn.py",
                        "--out", "out", cwd=tmp_path))
    assert "exited with code 1 before answering: ModuleNotFoundError: No module named " \
           "'acme_missing_dependency'" in line


def test_a_python_connector_named_by_its_package_folder(tmp_path: Path) -> None:
    package = tmp_path / "acme_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "connector.py").write_text("class Conn: pass\n", encoding="utf-8")
    line = one_line(cli("run", "--connector", "python:acme_pkg:Conn", "--out", "out",
                        cwd=tmp_path))
    assert "acme_pkg is a package folder, not the module that defines Conn (modules in it: " \
           "connector)" in line
    assert "python:acme_pkg.connector:Conn" in line


def test_a_python_connectors_missing_dependency_is_not_a_wrong_module_path(
        tmp_path: Path) -> None:
    (tmp_path / "acme_conn.py").write_text("import acme_not_installed\nclass Conn: pass\n",
                                           encoding="utf-8")
    line = one_line(cli("run", "--connector", "python:acme_conn:Conn", "--out", "out",
                        cwd=tmp_path))
    assert "acme_conn imports 'acme_not_installed', which is not installed" in line
    assert "pip install acme_not_installed" in line


@pytest.fixture
def tree_without_v2(tmp_path: Path) -> Path:
    """A copy of the packages and data with contracts/core-banking/v2.yaml missing."""
    tree = tmp_path / "tree"
    tree.mkdir()
    for name in ("harness", "fake_core_bank", "scenarios", "examples"):
        shutil.copytree(ROOT / name, tree / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    contracts = tree / "contracts" / "core-banking"
    contracts.mkdir(parents=True)
    for version in ("v1", "v3"):
        shutil.copy(ROOT / "contracts" / "core-banking" / f"{version}.yaml", contracts)
    return tree


def test_a_missing_contract_file_stops_run_and_serve_in_one_line(tree_without_v2: Path) -> None:
    env = {"PYTHONPATH": str(tree_without_v2)}
    module = [sys.executable, "-m", "harness.cli.main"]
    for args in (["run", "scenarios/maintenance", "--connector",
                  "python:examples.connectors.reference_py:ReferenceConnector",
                  "--out", "out"],
                 ["serve", "--port", "0"]):
        done = subprocess.run([*module, *args], cwd=tree_without_v2, capture_output=True,
                              text=True, timeout=120, check=False,
                              env={**os.environ, **env})
        line = one_line(done)
        assert line.endswith("contracts/core-banking/v2.yaml: the contract of version v2 of "
                             "core lending is missing; fix: restore the file (git checkout in a "
                             "checkout) or reinstall the package that provides the core")
        assert "fake core bank:" not in done.stdout  # serve never announces it


def test_from_recording_names_the_file_and_exchange_of_a_malformed_request(
        tmp_path: Path) -> None:
    (tmp_path / "rec.jsonl").write_text(
        '{"format": "drawbridge/recording@1"}\n'
        '{"seq": 1, "request": {"method": "GET", "path": "/v2/credit-lines/CL000001"}, '
        '"response": {"status": 200, "body": {"lineId": "CL000001", "customerId": '
        '"ENT000001", "currency": "CNY", "limit": 100, "used": 0, "status": "ACTIVE"}}}\n'
        '{"seq": 2, "request": {"method": "POST", "path": '
        '"/v2/credit-lines/CL000001/drawdowns", "body": {"amount": "abc", '
        '"currency": "CNY"}}, "response": {"status": 201, "body": {"drawdownId": "D1", '
        '"status": "SETTLED"}}}\n', encoding="utf-8")
    line = one_line(cli("scenario", "from-recording", "rec.jsonl", cwd=tmp_path))
    assert line.startswith("drawbridge: rec.jsonl exchange 2 (POST "
                           "/v2/credit-lines/CL000001/drawdowns): 'abc CNY' is not a money")


def test_diff_refuses_a_document_that_is_not_openapi(tmp_path: Path) -> None:
    good = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"
    (tmp_path / "good.yaml").write_text(good, encoding="utf-8")
    (tmp_path / "no-info.yaml").write_text("openapi: 3.1.0\npaths: {}\n", encoding="utf-8")
    (tmp_path / "bad-op.yaml").write_text(
        good.replace("paths: {}", "paths:\n  /x:\n    get:\n      parameters: 5\n"),
        encoding="utf-8")
    # readable but not valid: a warning by default (never silent), bad input with --strict
    warned = cli("diff", "good.yaml", "no-info.yaml", cwd=tmp_path)
    assert warned.returncode == 0 and "Traceback" not in warned.stderr
    assert "drawbridge: warning: no-info.yaml" in warned.stderr and "info" in warned.stderr
    line = one_line(cli("diff", "--strict", "good.yaml", "no-info.yaml", cwd=tmp_path))
    assert line.startswith("drawbridge: no-info.yaml") and "info" in line
    # too broken to read: bad input whatever the flags, named by the OpenAPI schema
    line = one_line(cli("diff", "bad-op.yaml", "good.yaml", cwd=tmp_path))
    assert "bad-op.yaml /paths/~1x/get/parameters: not a valid OpenAPI 3.1.0 document: 5 is " \
           "not of type \"array\"" in line
