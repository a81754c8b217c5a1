"""Results history and the deploy-gate question, answered from recorded certificates."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from harness.certify.history import can_release, record
from harness.cli.main import cli

pytestmark = pytest.mark.slow


def test_can_release_answers_from_recorded_results(tmp_path: Path, reference_certificate: dict,
                                                   legacy_certificate: dict) -> None:
    db = tmp_path / "history.sqlite"
    record(db, reference_certificate)
    record(db, legacy_certificate)
    yes = can_release(db, "reference-python@1.0.0", "v2")
    assert yes.release and "passes every MUST scenario at core v2" in yes.reason
    no = can_release(db, "legacy-v1@0.9.3", "v2")
    assert not no.release
    assert "MUST scenario(s) fail" in no.reason and "lock-period-case-study" in no.reason
    unknown = can_release(db, "legacy-v1@0.9.3", "v3")
    assert not unknown.release and "no recorded results" in unknown.reason


def test_can_release_cli_exit_codes(tmp_path: Path, reference_certificate: dict) -> None:
    db = tmp_path / "h.sqlite"
    record(db, reference_certificate)
    runner = CliRunner()
    ok = runner.invoke(cli, ["can-release", "--connector", "reference-python@1.0.0", "--core",
                             "v2", "--history", str(db)], standalone_mode=False)
    assert ok.exit_code == 0 and ok.output.startswith("yes:")
    missing = runner.invoke(cli, ["can-release", "--connector", "reference-python@1.0.0",
                                  "--core", "v3", "--history", str(db)], standalone_mode=False)
    assert missing.exit_code == 1 and missing.output.startswith("no:")


def test_merged_shards_equal_the_whole_run(library: list, profile_v2: object,
                                           reference_certificate: dict) -> None:
    from harness.certify.document import dumps
    from harness.certify.session import merge_documents
    from tests.certify.certify_kit import REFERENCE, certify

    shards = [certify(library, profile_v2, REFERENCE, shard=f"{i}/2") for i in (1, 2)]
    assert all(len(s["results"]) < len(reference_certificate["results"]) for s in shards)
    merged = merge_documents(shards)
    assert dumps(merged) == dumps(reference_certificate)
