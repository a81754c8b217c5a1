"""Results history: recording certificates, its schema, and the deploy-gate question asked of it.

The command-line sequences of issue 13 are in test_release_gate.py.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from fake_core_bank import cores, lending
from fake_core_bank.cores import CoreModel
from fake_core_bank.errors import InputError
from harness.certify import history
from harness.certify.history import SCHEMA_VERSION, record
from harness.certify.release import can_release
from tests.certify.certify_kit import TODAY

pytestmark = pytest.mark.slow

V1_TABLES = """
CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, digest TEXT NOT NULL, profile TEXT,
                   as_of TEXT NOT NULL, seed INTEGER NOT NULL);
CREATE TABLE verdicts (run_id INTEGER NOT NULL REFERENCES runs(id), connector TEXT NOT NULL,
    connector_version TEXT NOT NULL, core_version TEXT NOT NULL, scenario TEXT NOT NULL,
    level TEXT NOT NULL, verdict TEXT NOT NULL, reason TEXT);
"""


def test_can_release_answers_from_recorded_results(tmp_path: Path, reference_certificate: dict,
                                                   legacy_certificate: dict) -> None:
    db = tmp_path / "history.sqlite"
    record(db, reference_certificate)
    record(db, legacy_certificate)
    yes = can_release(db, "reference-python@1.0.0", "v2", as_of=TODAY)
    assert yes.release, yes.details
    assert "passes every one of the" in yes.reason and "MUST scenarios" in yes.reason
    no = can_release(db, "legacy-v1@0.9.3", "v2", as_of=TODAY)
    assert not no.release
    assert "failing" in no.reason
    assert any(d.startswith("FAILING lock-period-case-study: fails") for d in no.details)
    assert no.details[-1].startswith("fix: drawbridge certify --connector "
                                     "python:examples.connectors.legacy_v1:LegacyV1Connector "
                                     "--profile v2 --history ")
    unknown = can_release(db, "legacy-v1@0.9.3", "v3", as_of=TODAY)
    assert not unknown.release and "no recorded results" in unknown.reason


def test_a_version_1_history_is_migrated_and_its_rows_count_as_stale(
        tmp_path: Path, reference_certificate: dict) -> None:
    db = tmp_path / "old.sqlite"
    with sqlite3.connect(db) as old:
        old.executescript(V1_TABLES)
        old.execute("INSERT INTO runs VALUES (1, 'sha256:x', 'v2', '2026-11-01', 0)")
        for result in reference_certificate["results"]:
            old.execute("INSERT INTO verdicts VALUES (1, 'reference-python', '1.0.0', 'v2', ?, "
                        "?, 'pass', NULL)", (result["scenario"], result["level"]))
    stale = can_release(db, "reference-python@1.0.0", "v2", as_of=TODAY)
    assert not stale.release
    assert any(d.startswith("re-certify: ") and "changed since run #1" in d
               for d in stale.details), stale.details
    with sqlite3.connect(db) as migrated:
        assert migrated.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert migrated.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0] == \
            len(reference_certificate["results"])
    record(db, reference_certificate)
    assert can_release(db, "reference-python@1.0.0", "v2", as_of=TODAY).release


def test_evidence_of_one_core_never_answers_for_another(tmp_path: Path,
                                                        reference_certificate: dict) -> None:
    """A core model that reuses the built-in contracts byte for byte (so every digest matches)
    but is another bank's core gets no "yes" from the built-in core's certification."""
    db = tmp_path / "history.sqlite"
    record(db, reference_certificate)
    assert reference_certificate["core"] == "lending"
    assert can_release(db, "reference-python@1.0.0", "v2", as_of=TODAY).release
    twin = CoreModel(name="twin", versions=lending.core.versions,
                     contracts=lending.core.contracts, adapters=lending.core.adapters)
    with cores.using(twin):
        other = can_release(db, "reference-python@1.0.0", "v2", as_of=TODAY)
    assert not other.release and "no recorded results" in other.reason, other
    with sqlite3.connect(db) as stored:
        assert {row[0] for row in stored.execute("SELECT core FROM verdicts")} == {"lending"}


def test_a_version_2_history_is_migrated_as_the_built_in_core_s(
        tmp_path: Path, reference_certificate: dict) -> None:
    db = tmp_path / "v2.sqlite"
    record(db, reference_certificate)
    with sqlite3.connect(db) as old:  # as a schema 2 file was: no core column
        old.execute("ALTER TABLE verdicts DROP COLUMN core")
        old.execute("PRAGMA user_version = 2")
    assert can_release(db, "reference-python@1.0.0", "v2", as_of=TODAY).release
    with sqlite3.connect(db) as migrated:
        assert {row[0] for row in migrated.execute("SELECT core FROM verdicts")} == {"lending"}


def test_a_history_from_a_newer_drawbridge_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite"
    with sqlite3.connect(db) as newer:
        newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    newer_schema = SCHEMA_VERSION + 1
    with pytest.raises(InputError, match=rf"schema {newer_schema} is newer than this drawbridge"):
        history.newest_run(db)


def test_an_earlier_as_of_than_the_newest_run_is_refused(tmp_path: Path,
                                                         reference_certificate: dict) -> None:
    db = tmp_path / "h.sqlite"
    record(db, reference_certificate)
    earlier = {**reference_certificate, "asOf": "2026-11-27"}
    with pytest.raises(InputError, match=r"2026-11-27 is earlier than the newest run recorded "
                       r".*\(run #1, as of 2026-11-28\); an earlier date would revive expired "
                       r"waivers"):
        record(db, earlier)
    with pytest.raises(InputError, match="would revive expired waivers"):
        can_release(db, "reference-python@1.0.0", "v2", as_of=TODAY.replace(day=1))


def test_an_expired_waiver_no_longer_passes(tmp_path: Path, legacy_certificate: dict) -> None:
    """A verdict waived when recorded counts as passing only until its waiver expires."""
    db = tmp_path / "h.sqlite"
    waiver = {"scenario": "x", "owner": "o", "reason": "r", "expires": "2026-12-15"}
    waived = {**legacy_certificate,
              "matrix": [{**m, "verdict": "waived", "waiver": {**waiver, "scenario": m["scenario"]}}
                         if m["verdict"] == "fail" else m for m in legacy_certificate["matrix"]]}
    record(db, waived)
    assert can_release(db, "legacy-v1@0.9.3", "v2", as_of=TODAY).release
    later = can_release(db, "legacy-v1@0.9.3", "v2", as_of=TODAY.replace(month=12, day=16))
    assert not later.release
    assert any("waived until 2026-12-15, expired" in d for d in later.details), later.details


def test_merged_shards_equal_the_whole_run(library: list, profile_v2: object,
                                           reference_certificate: dict) -> None:
    from harness.certify.document import dumps
    from harness.certify.session import merge_documents
    from tests.certify.certify_kit import REFERENCE, certify

    shards = [certify(library, profile_v2, REFERENCE, shard=f"{i}/2") for i in (1, 2)]
    assert all(len(s["results"]) < len(reference_certificate["results"]) for s in shards)
    merged = merge_documents(shards)
    assert dumps(merged) == dumps(reference_certificate)
