"""Results history in SQLite, and the deploy-gate question asked of it.

``can_release("legacy-v1@0.9.3", "v3")`` answers from the newest recorded run of that connector
version at that core version: yes when no MUST scenario failed there, with the reason either way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    digest TEXT NOT NULL,
    profile TEXT,
    as_of TEXT NOT NULL,
    seed INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS verdicts (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    connector TEXT NOT NULL,
    connector_version TEXT NOT NULL,
    core_version TEXT NOT NULL,
    scenario TEXT NOT NULL,
    level TEXT NOT NULL,
    verdict TEXT NOT NULL,
    reason TEXT
);
CREATE INDEX IF NOT EXISTS verdicts_lookup
    ON verdicts (connector, connector_version, core_version, run_id);
"""


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA journal_mode=WAL")  # readable after a crash mid-write
        db.executescript(SCHEMA)
        with db:
            yield db


def record(path: Path, document: dict[str, Any]) -> int:
    """Store a certification document's verdicts; returns the run id."""
    profile = document.get("profile") or {}
    with connect(path) as db:
        cursor = db.execute(
            "INSERT INTO runs (digest, profile, as_of, seed) VALUES (?, ?, ?, ?)",
            (document["digest"], profile.get("id"), document["asOf"], document["seed"]))
        run_id = int(cursor.lastrowid or 0)
        for result in document["results"]:
            first = result["findings"][0]["message"] if result["findings"] else result["error"]
            verdict = next(m["verdict"] for m in document["matrix"]
                           if m["scenario"] == result["scenario"]
                           and m["version"] == result["version"]
                           and m["connector"] == result["connectorLabel"])
            db.execute(
                "INSERT INTO verdicts VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, result["connector"]["name"], result["connector"]["version"],
                 result["version"], result["scenario"], result["level"], verdict, first))
        return run_id


@dataclass(frozen=True)
class Answer:
    release: bool
    reason: str


def can_release(path: Path, connector: str, core_version: str) -> Answer:
    name, _, version = connector.partition("@")
    if not path.is_file():
        return Answer(False, f"no results history at {path}: certify first")
    with connect(path) as db:
        row = db.execute(
            "SELECT MAX(run_id) FROM verdicts WHERE connector = ? AND connector_version = ? "
            "AND core_version = ?", (name, version, core_version)).fetchone()
        if row is None or row[0] is None:
            return Answer(False, f"no recorded results for {connector} at core {core_version}: "
                          "run drawbridge certify first")
        run_id = row[0]
        rows = db.execute(
            "SELECT scenario, level, verdict, reason FROM verdicts WHERE run_id = ? AND "
            "connector = ? AND connector_version = ? AND core_version = ? ORDER BY scenario",
            (run_id, name, version, core_version)).fetchall()
    failing = [r for r in rows if r[1] == "must" and r[2] in ("fail", "error")]
    if failing:
        listing = "; ".join(f"{s}: {reason}" for s, _, _, reason in failing[:5])
        return Answer(False, f"{len(failing)} MUST scenario(s) fail for {connector} at core "
                      f"{core_version} (run #{run_id}): {listing}")
    waived = sum(r[2] == "waived" for r in rows)
    return Answer(True, f"{connector} passes every MUST scenario at core {core_version} "
                  f"(run #{run_id}, {len(rows)} scenarios, {waived} waived)")
