"""``certify --mutation-report``: the certificate carries the profile's mutation score and the
catalogue's digest; without it, nothing changes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from harness.certify.document import document_digest
from harness.certify.session import merge_documents
from tests.mutate.mutate_kit import REFERENCE, REPO, mutate, small_profile


def certify(out: Path, profile: Path | str, *args: str) -> tuple[int, str, dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-m", "harness.cli.main", "certify", "--connector", REFERENCE,
         "--profile", str(profile), "--as-of", "2026-12-01", "--no-history", "--out", str(out),
         *args],
        cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    path = out / "certificate.json"
    return (done.returncode, done.stderr,
            json.loads(path.read_text("utf-8")) if path.exists() else {})


def test_the_certificate_carries_the_score_only_when_asked(tmp_path: Path) -> None:
    profile = small_profile(tmp_path, "lock-period-30-days", "full-outage-retry-after")
    measured = mutate(tmp_path / "mutation", "--profile", str(profile), "--operators",
                      "strip-locked-until,strip-retry-after,accepted-as-created,"
                      "control-unknown-header")
    assert measured.code == 0, measured.stderr
    report = tmp_path / "mutation" / "mutation.json"

    code, err, plain = certify(tmp_path / "plain", profile)
    assert code == 0, err
    assert "mutation" not in plain
    code, err, carried = certify(tmp_path / "carried", profile, "--mutation-report", str(report))
    assert code == 0, err
    assert carried["mutation"] == {
        "profile": "small", "connector": "reference-python@1.0.0",
        "catalogue": measured.report["catalogue"]["digest"],
        "score": {"killed": 1, "mutants": 2, "value": 0.5},
        "applicability": {"applied": 2, "operators": 3, "notApplicable": ["accepted-as-created"]},
        "survived": ["strip-retry-after"], "caughtLate": []}
    assert carried["digest"] == document_digest(carried)
    without = {k: v for k, v in carried.items() if k != "mutation"}
    assert document_digest(without) == plain["digest"], "the report only adds its summary"

    # the certificate's pages show it (and only when the certificate carries it)
    headline = ("mutation score 50.0% (1 of 2 mutants killed by a MUST scenario; 2 of 3 "
                "operators applied) for profile small, measured with reference-python@1.0.0")
    digest = measured.report["catalogue"]["digest"]
    summary = (tmp_path / "carried" / "summary.md").read_text("utf-8")
    assert f"### Mutation score\n\n**{headline}.** Operator catalogue `{digest}`." in summary
    assert "- survived: `strip-retry-after`\n- not applicable: `accepted-as-created`" in summary
    page = (tmp_path / "carried" / "report.html").read_text("utf-8")
    assert f"<strong>{headline}.</strong>" in page and digest in page
    assert "<li>survived: <code>strip-retry-after</code></li>" in page
    assert "<li>not applicable: <code>accepted-as-created</code></li>" in page
    for name in ("summary.md", "report.html"):
        assert "Mutation score" not in (tmp_path / "plain" / name).read_text("utf-8")


def test_a_report_of_another_profile_is_refused_in_one_line(tmp_path: Path) -> None:
    profile = small_profile(tmp_path, "frozen-line")
    measured = mutate(tmp_path / "mutation", "--profile", str(profile), "--operators",
                      "drop-reason-code")
    assert measured.code == 0, measured.stderr
    code, err, _ = certify(tmp_path / "cert", "v2", "--mutation-report",
                           str(tmp_path / "mutation" / "mutation.json"))
    assert code == 2
    assert err.strip().endswith("run drawbridge mutate --profile v2 and pass its report")
    assert "measures profile small (v2), not v2 (v2)" in err
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    code, err, _ = certify(tmp_path / "cert2", "v2", "--mutation-report", str(broken))
    assert code == 2 and f"{broken}: not JSON" in err and "Traceback" not in err


def test_shards_carrying_the_score_merge_with_it(tmp_path: Path) -> None:
    profile = small_profile(tmp_path, "lock-period-30-days", "frozen-line")
    measured = mutate(tmp_path / "mutation", "--profile", str(profile), "--operators",
                      "strip-locked-until")
    assert measured.code == 0, measured.stderr
    report = str(tmp_path / "mutation" / "mutation.json")
    shards = [certify(tmp_path / f"shard{n}", profile, "--shard", f"{n}/2",
                      "--mutation-report", report)[2] for n in (1, 2)]
    merged = merge_documents(shards)
    assert merged["mutation"] == shards[0]["mutation"]
    assert merged["mutation"]["score"]["value"] == 1.0
    assert merged["digest"] == document_digest(merged)
    _, _, plain = certify(tmp_path / "plain", profile, "--shard", "2/2")
    with pytest.raises(ValueError, match="documents differ in 'mutation'"):
        merge_documents([shards[0], plain])
