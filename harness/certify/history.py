"""The results history: every recorded verdict, with the digests of the inputs it was judged on.

One SQLite file shared by ``certify``, ``matrix``, ``merge`` (they record) and ``can-release``
(it asks, see :mod:`harness.certify.release`). The default is ``reports/history.sqlite`` under
the working directory, or ``$DRAWBRIDGE_HISTORY``; each command prints the one it used.

Each verdict row keeps the SHA-256 of the scenario file and of the contract it was judged
against, so evidence recorded before either changed is recognised as stale. ``PRAGMA
user_version`` holds the schema version: files written by drawbridge before digests were kept
(version 0/1) are migrated in place, their old rows kept without digests (they count as evidence
of nothing current); a file from a newer drawbridge is refused.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from fake_core_bank import cores
from fake_core_bank.errors import InputError
from harness.reporting.finding_text import first_problem

SCHEMA_VERSION = 3
#: seconds a command waits for another process's transaction on the file before "busy"
BUSY_TIMEOUT = 3.0
ENV = "DRAWBRIDGE_HISTORY"
DEFAULT = Path("reports/history.sqlite")

TABLES = """
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
#: columns added by schemas 2 and 3 (ALTER TABLE on older files; NULL in their old rows)
ADDED = (("verdicts", "scenario_digest"), ("verdicts", "contract_digest"),
         ("verdicts", "waiver_expires"), ("verdicts", "connector_spec"), ("verdicts", "core"))
#: the core every verdict of a schema 0-2 file was about: no other core could be certified then
CORE_BEFORE_SCHEMA_3 = "lending"


def default_path() -> Path:
    """Where certify, matrix, merge and can-release keep the history unless told otherwise."""
    return Path(os.environ[ENV]) if os.environ.get(ENV) else DEFAULT


def _busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


@contextmanager
def connect(path: Path, *, create: bool = True) -> Iterator[sqlite3.Connection]:
    """The history at ``path``, migrated to the current schema, in one transaction.

    Every SQLite failure leaves as one-line bad input: "history file busy" when another process
    holds it longer than BUSY_TIMEOUT, "not a results history" when it is something else."""
    try:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT)) as db:
            _prepare(db, path)
            with db:
                yield db
    except sqlite3.OperationalError as exc:
        if _busy(exc):
            raise InputError(str(path), f"history file busy: another process held it for "
                             f"more than {BUSY_TIMEOUT:g} s ({exc})",
                             "wait for the other drawbridge command to finish and run this "
                             "one again") from exc
        raise _not_a_history(path, exc) from exc
    except sqlite3.DatabaseError as exc:
        raise _not_a_history(path, exc) from exc
    except OSError as exc:
        raise InputError(str(path), f"cannot open the results history: {exc.strerror}",
                         "pass a writable --history path") from exc


def _not_a_history(path: Path, exc: sqlite3.DatabaseError) -> InputError:
    return InputError(str(path), f"not a results history: {exc}",
                      "pass a new file name or the SQLite file certify wrote")


def _prepare(db: sqlite3.Connection, path: Path) -> None:
    found = int(db.execute("PRAGMA user_version").fetchone()[0])
    if found > SCHEMA_VERSION:
        raise InputError(str(path), f"results history schema {found} is newer than this "
                         f"drawbridge understands ({SCHEMA_VERSION})",
                         "upgrade drawbridge, or pass another --history file")
    if found == SCHEMA_VERSION:
        return
    db.execute("PRAGMA journal_mode=WAL")  # readable after a crash mid-write
    with db:
        db.executescript(TABLES)
        for table, column in ADDED:
            columns = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
            if column not in columns:
                db.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT")
        db.execute("UPDATE verdicts SET core = ? WHERE core IS NULL", (CORE_BEFORE_SCHEMA_3,))
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def newest_run(path: Path) -> tuple[int, str] | None:
    """(run id, as-of date) of the newest recorded run, or None for a new history."""
    if not path.is_file():
        return None
    with connect(path, create=False) as db:
        row = db.execute("SELECT id, as_of FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else None


def refuse_earlier(path: Path, as_of: str, option: str = "--as-of") -> None:
    """Bad input when ``as_of`` precedes the newest recorded run: judged at an earlier date,
    waivers that have since expired would count again."""
    newest = newest_run(path)
    if newest is not None and as_of < newest[1]:
        raise InputError(option, f"{as_of} is earlier than the newest run recorded in {path} "
                         f"(run #{newest[0]}, as of {newest[1]}); an earlier date would revive "
                         "expired waivers", f"give {newest[1]} or later, or omit {option} "
                         "(today)")


def record(path: Path, document: dict[str, Any]) -> int:
    """Store a certification document's verdicts with the digests they were judged on; returns
    the run id."""
    refuse_earlier(path, document["asOf"])
    profile = document.get("profile") or {}
    inputs = document["inputs"]
    cells = {(m["connector"], m["scenario"], m["version"]): m for m in document["matrix"]}
    # a certificate of before the field names the core the command runs with
    core = document.get("core") or cores.active().name
    with connect(path) as db:
        cursor = db.execute(
            "INSERT INTO runs (digest, profile, as_of, seed) VALUES (?, ?, ?, ?)",
            (document["digest"], profile.get("id"), document["asOf"], document["seed"]))
        run_id = int(cursor.lastrowid or 0)
        for result in document["results"]:
            cell = cells[(result["connectorLabel"], result["scenario"], result["version"])]
            first = first_problem(result) if cell["verdict"] != "pass" else None
            connector = result["connector"]
            waiver = cell.get("waiver") or {}
            db.execute(
                "INSERT INTO verdicts (run_id, connector, connector_version, core_version, "
                "scenario, level, verdict, reason, scenario_digest, contract_digest, "
                "waiver_expires, connector_spec, core) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, connector["name"], connector["version"], result["version"],
                 result["scenario"], result["level"], cell["verdict"], first,
                 inputs["scenarios"].get(result["source"]),
                 inputs["contracts"].get(contract_key(result["version"])),
                 waiver.get("expires"), connector.get("spec"), core))
        return run_id


def contract_key(version: str) -> str:
    """How a certificate's ``inputs.contracts`` names the contract of ``version``."""
    return cores.active().contract_name(version)
