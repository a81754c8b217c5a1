"""Dependency audit: no installed dependency has a known vulnerability (pip-audit).

Runs on every ``make test`` (so .ci/run runs it too). pip-audit asks the package index's
vulnerability service about each installed distribution. The audit is non-fatal in exactly one
case: when the index cannot be reached, so that nothing at all could be audited (every
dependency skipped as not found, or a connection error); the test is then skipped with that
reason, visible in the ``-ra`` summary. A single known vulnerability fails the test with its id
and the versions that fix it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PIP_AUDIT = Path(sys.executable).parent / "pip-audit"


def test_no_installed_dependency_has_a_known_vulnerability() -> None:
    assert PIP_AUDIT.exists(), "pip-audit is in the dev extra: pip install -e '.[dev]'"
    done = subprocess.run([str(PIP_AUDIT), "--skip-editable", "--progress-spinner", "off",
                           "--format", "json"], capture_output=True, text=True, timeout=300)
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        if any(word in done.stderr for word in ("ConnectionError", "Max retries", "timed out",
                                                "Temporary failure in name resolution")):
            pytest.skip(f"package index unreachable: {done.stderr.strip().splitlines()[-1]}")
        raise AssertionError(f"pip-audit failed (exit {done.returncode}): {done.stderr}") from None
    dependencies = report["dependencies"]
    audited = [d for d in dependencies if "skip_reason" not in d]
    if not audited:
        reasons = {d["skip_reason"].split(":")[0] for d in dependencies}
        pytest.skip(f"package index unreachable: nothing could be audited ({'; '.join(reasons)})")
    vulnerable = [f"{d['name']} {d['version']}: {v['id']} (fixed in "
                  f"{', '.join(v.get('fix_versions') or ['no release yet'])})"
                  for d in audited for v in d.get("vulns", [])]
    assert vulnerable == []
