"""Issue 16, "done when": the built wheel, installed into a fresh virtual environment outside
the checkout, certifies a connector and verifies a provider against ``--contract v2``.

Offline and bounded: the wheel is built with ``--no-build-isolation`` (hatchling is a dev
dependency) and installed with ``--no-deps --no-index``; the new environment sees the
dependencies through a ``.pth`` line naming this environment's site-packages (a plain path
line: the editable install's own ``.pth`` there is not processed, so nothing can be imported
from the checkout). Every command runs from a directory outside the checkout.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
URL = re.compile(r"fake core bank: (http://127\.0\.0\.1:\d+) ")
SPEC = "python:examples.connectors.reference_py:ReferenceConnector"


def _run(args: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env=env, check=False)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` directory of a fresh venv holding only the built wheel."""
    base = tmp_path_factory.mktemp("wheel")
    assert not base.resolve().is_relative_to(ROOT)
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                  "-q", "-w", str(base / "dist"), str(ROOT)], cwd=base)
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (base / "dist").glob("drawbridge_banking-*.whl")
    venv = base / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=base)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    done = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                 "--no-deps", "--no-index", str(wheel)], cwd=base)
    assert done.returncode == 0, done.stderr[-3000:]
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                   cwd=base).stdout.strip()
    (Path(purelib) / "drawbridge-test-deps.pth").write_text(
        sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    where = _run([str(python), "-c", "import harness, fake_core_bank; "
                  "print(harness.__file__); print(fake_core_bank.__file__)"], cwd=base)
    for line in where.stdout.split():
        assert Path(line).resolve().is_relative_to(venv.resolve()), where.stdout
    return venv / "bin"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A working directory outside the checkout, with a copy of the reference connector."""
    work = tmp_path / "work"
    (work / "connector" / "examples" / "connectors").mkdir(parents=True)
    (work / "connector" / "examples" / "__init__.py").write_text("", encoding="utf-8")
    source = ROOT / "examples" / "connectors"
    target = work / "connector" / "examples" / "connectors"
    (target / "__init__.py").write_text("", encoding="utf-8")
    package = target / "reference_py"
    package.mkdir()
    for file in (source / "reference_py").glob("*.py"):
        (package / file.name).write_bytes(file.read_bytes())
    return work


def test_installed_wheel_certifies_from_outside_the_checkout(installed: Path,
                                                             outside: Path) -> None:
    done = _run([str(installed / "drawbridge"), "certify", "--connector", SPEC,
                 "--connector-path", "connector", "--profile", "v2", "--as-of", "2026-11-28",
                 "--no-progress", "--out", "cert"], cwd=outside)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "gate: PASSED" in done.stdout
    certificate = orjson.loads((outside / "cert" / "certificate.json").read_bytes())
    scenarios = certificate["inputs"]["scenarios"]
    assert scenarios and all(name.startswith("scenarios/") for name in scenarios)
    assert "contracts/core-banking/v2.yaml" in certificate["inputs"]["contracts"]


@pytest.fixture
def served(installed: Path, outside: Path) -> Iterator[str]:
    process = subprocess.Popen(
        [str(installed / "drawbridge"), "serve", "--port", "0", "--customers", "2"],
        cwd=outside, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert process.stdout is not None
        found = URL.search(process.stdout.readline())
        assert found is not None, process.stderr.read() if process.stderr else ""
        yield found.group(1)
    finally:
        process.kill()
        process.communicate(timeout=30)


def test_installed_wheel_verifies_a_provider_against_contract_v2(installed: Path,
                                                                 outside: Path,
                                                                 served: str) -> None:
    done = _run([str(installed / "drawbridge"), "verify-provider", "--base-url", served,
                 "--contract", "v2", "--max-examples", "3"], cwd=outside)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "against v2: no drift" in done.stdout


def test_installed_wheel_scaffolds_a_connector_from_its_packaged_reference(
        installed: Path, outside: Path) -> None:
    for language, source in (("python", "acme_erp/connector.py"), ("node", "connector.js")):
        done = _run([str(installed / "drawbridge"), "init", "connector", language,
                     "--language", language, "--name", "acme-erp"], cwd=outside)
        assert done.returncode == 0, done.stderr[-3000:]
        assert "acme-erp" in (outside / language / source).read_text(encoding="utf-8")
