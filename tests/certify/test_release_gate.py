"""The deploy gate through the command line, as a vendor's CI and a release manager use it.

Each test replays one sequence of issue 13 part 1 in its own working directory, so the default
history (reports/history.sqlite) is the one certify and can-release share there.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from fake_core_bank.errors import InputError
from harness.certify import history
from harness.certify.profiles import load_profile, resolve_profile
from harness.cli.main import cli
from harness.paths import scenarios_root
from harness.scenarios.library import load_library
from tests.certify.certify_kit import LEGACY, REFERENCE, TODAY

pytestmark = pytest.mark.slow

AS_OF = ("--as-of", TODAY.isoformat())
DEFAULT_HISTORY = "history: reports/history.sqlite"


@pytest.fixture(autouse=True)
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(history.ENV, raising=False)
    return tmp_path


def drawbridge(*args: str) -> tuple[int, str]:
    """Exit code and output of one command; bad input is exit 2 with its one line."""
    result = CliRunner().invoke(cli, list(args), standalone_mode=False)
    if isinstance(result.exception, InputError):
        return 2, result.output + result.exception.one_line()
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def answer_lines(output: str, kind: str) -> set[str]:
    """The scenario ids can-release lists as FAILING or MISSING."""
    return {m.group(1) for m in re.finditer(rf"^  {kind} ([\w-]+):", output, re.M)}


@cache
def v2_must() -> list[str]:
    """The v2 profile's MUST list as it is now."""
    return list(load_profile(resolve_profile("v2"), load_library([scenarios_root()])).must)


def one_scenario_profile(path: Path, scenario: str) -> Path:
    path.write_text(f"format: drawbridge/profile@1\nid: one\ntitle: {scenario} alone\n"
                    f"version: v2\nmust: [{scenario}]\n", encoding="utf-8")
    return path


def test_partial_evidence_never_turns_no_into_yes(workdir: Path) -> None:
    code, out = drawbridge("certify", "--connector", LEGACY, "--profile", "v2", "--out", "full",
                           *AS_OF)
    assert code == 1 and DEFAULT_HISTORY in out, out
    code, first = drawbridge("can-release", "--connector", "legacy-v1@0.9.3",
                             "--core-version", "v2", *AS_OF)
    assert code == 1 and first.startswith("no: legacy-v1@0.9.3 at core v2 (profile v2): ")
    failing = answer_lines(first, "FAILING")
    assert "lock-period-case-study" in failing and len(failing) >= 10, first
    assert (f"  fix: drawbridge certify --connector {LEGACY} --profile v2 (after fixing the "
            "failing scenarios)") in first
    assert first.rstrip().endswith(DEFAULT_HISTORY)

    # a shard of a later certification: some of its scenarios pass, the others are not run
    code, out = drawbridge("certify", "--connector", LEGACY, "--profile", "v2", "--shard", "1/25",
                           "--out", "shard", *AS_OF)
    assert DEFAULT_HISTORY in out
    code, after_shard = drawbridge("can-release", "--connector", "legacy-v1@0.9.3",
                                   "--core-version", "v2", *AS_OF)
    assert code == 1 and answer_lines(after_shard, "FAILING") == failing, after_shard

    # a one-scenario run that passes
    passing = next(s for s in v2_must() if s not in failing)
    code, out = drawbridge("certify", "--connector", LEGACY, "--profile",
                           str(one_scenario_profile(workdir / "one.yaml", passing)),
                           "--out", "one", *AS_OF)
    assert code == 0 and "gate: PASSED" in out, out
    code, after_one = drawbridge("can-release", "--connector", "legacy-v1@0.9.3",
                                 "--core-version", "v2", *AS_OF)
    assert code == 1 and answer_lines(after_one, "FAILING") == failing, after_one


def test_the_readme_sequence_answers_yes_and_a_shard_alone_does_not(workdir: Path) -> None:
    ask = ("can-release", "--connector", "reference-python@1.0.0", "--core-version", "v2", *AS_OF)
    code, out = drawbridge("certify", "--connector", REFERENCE, "--profile", "v2", "--shard",
                           "2/25", "--out", "shard", *AS_OF)
    assert code == 0 and DEFAULT_HISTORY in out, out
    ran = {r["scenario"] for r in history_results(workdir / "shard" / "certificate.json")}
    code, partial = drawbridge(*ask)
    assert code == 1, partial
    assert answer_lines(partial, "MISSING") == set(v2_must()) - ran, partial
    assert f"  fix: drawbridge certify --connector {REFERENCE} --profile v2\n" in partial

    # README: certify (no --history), then can-release (no --history)
    code, out = drawbridge("certify", "--connector", REFERENCE, "--profile", "v2", "--out",
                           "reports/cert", *AS_OF)
    assert code == 0 and DEFAULT_HISTORY in out, out
    code, yes = drawbridge(*ask)
    assert code == 0, yes
    assert yes.startswith(f"yes: reference-python@1.0.0 at core v2 (profile v2) passes every "
                          f"one of the {len(v2_must())} MUST scenarios"), yes

    # newer evidence can turn yes into no: one MUST scenario fails in a later run
    code, out = drawbridge("certify", "--connector", REFERENCE, "--profile", "v2", "--out",
                           "again", *AS_OF)
    assert code == 0
    regress_one(workdir / "reports" / "history.sqlite", v2_must()[0])
    code, no = drawbridge(*ask)
    assert code == 1 and answer_lines(no, "FAILING") == {v2_must()[0]}, no


def history_results(certificate: Path) -> list[dict]:
    import json

    return list(json.loads(certificate.read_text(encoding="utf-8"))["results"])


def regress_one(db: Path, scenario: str) -> None:
    """Turn the newest recorded verdict of ``scenario`` into a failure, as a later run with a
    regression would record it."""
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE verdicts SET verdict = 'fail', reason = 'regressed' "
                     "WHERE scenario = ? AND run_id = (SELECT MAX(id) FROM runs)", (scenario,))


def test_changed_scenario_files_invalidate_their_old_evidence(workdir: Path) -> None:
    library = workdir / "library"
    shutil.copytree(scenarios_root(), library)
    (workdir / "matrix.yaml").write_text(
        f"format: drawbridge/matrix@1\nconnectors: [\"{REFERENCE}\"]\nversions: [v2]\n"
        "scenarios: [library]\nprofile: v2\n", encoding="utf-8")
    ask = ("can-release", "--connector", "reference-python@1.0.0", "--core-version", "v2",
           "--scenarios", "library", *AS_OF)
    code, out = drawbridge("matrix", "matrix.yaml", "--out", "m", *AS_OF)
    assert code == 0 and DEFAULT_HISTORY in out, out
    assert drawbridge(*ask)[0] == 0

    sources = {s.id: Path(s.source.path) for s in load_library([library]) if s.source}
    edited = {sources[s] for s in v2_must()[:3]}
    for path in edited:
        path.write_text(path.read_text(encoding="utf-8") + "# revised\n", encoding="utf-8")
    changed = sorted(s for s in v2_must() if sources[s] in edited)
    code, no = drawbridge(*ask)
    assert code == 1, no
    assert (f"  re-certify: {len(changed)} scenario(s) changed since run #1 (as of "
            f"{TODAY.isoformat()}; scenario file or contract digest differs): "
            f"{', '.join(s for s in v2_must() if s in changed)}") in no, no

    code, _ = drawbridge("matrix", "matrix.yaml", "--out", "m2", *AS_OF)
    assert code == 0 and drawbridge(*ask)[0] == 0


def test_no_history_records_nothing_and_an_earlier_as_of_is_refused(workdir: Path) -> None:
    profile = str(one_scenario_profile(workdir / "one.yaml", "frozen-line"))
    code, out = drawbridge("certify", "--connector", REFERENCE, "--profile", profile,
                           "--no-history", "--out", "a", *AS_OF)
    assert code == 0 and "history: not recorded (--no-history)" in out
    assert not (workdir / "reports").exists()
    drawbridge("certify", "--connector", REFERENCE, "--profile", profile, "--out", "b", *AS_OF)
    code, out = drawbridge("certify", "--connector", REFERENCE, "--profile", profile, "--out",
                           "c", "--as-of", "2026-11-01")
    assert code == 2 and not (workdir / "c" / "certificate.json").exists()
    assert out.endswith("--as-of: 2026-11-01 is earlier than the newest run recorded in "
                        "reports/history.sqlite (run #1, as of 2026-11-28); an earlier date "
                        "would revive expired waivers; fix: give 2026-11-28 or later, or omit "
                        "--as-of (today)"), out


def test_a_busy_history_keeps_the_reports_and_says_busy(workdir: Path) -> None:
    """Another process holds the history (a long transaction): certify writes its reports,
    waits a few seconds, then exits 2 with one line saying the file is busy."""
    profile = str(one_scenario_profile(workdir / "one.yaml", "frozen-line"))
    drawbridge_bin = str(Path(sys.executable).parent / "drawbridge")
    args = [drawbridge_bin, "certify", "--connector", REFERENCE, "--profile", profile, *AS_OF]
    first = subprocess.run([*args, "--out", "first"], capture_output=True, text=True,
                           timeout=300, cwd=workdir, env=_env())
    assert first.returncode == 0, first.stderr
    holder = sqlite3.connect(workdir / "reports" / "history.sqlite", isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        busy = subprocess.run([*args, "--out", "second"], capture_output=True, text=True,
                              timeout=300, cwd=workdir, env=_env())
    finally:
        holder.close()
    assert busy.returncode == 2, busy.stdout + busy.stderr
    assert "Traceback" not in busy.stderr and len(busy.stderr.splitlines()) == 1, busy.stderr
    assert re.match(r"drawbridge: reports/history\.sqlite: history file busy: another process "
                    r"held it for more than 3 s .*; fix: wait for the other drawbridge command "
                    r"to finish and run this one again; the reports in second are kept: record "
                    r"them later with drawbridge merge second/certificate\.json --out second$",
                    busy.stderr), busy.stderr
    assert "written: second/certificate.json" in busy.stdout
    assert (workdir / "second" / "certificate.json").read_bytes() == \
        (workdir / "first" / "certificate.json").read_bytes()
    kept = (workdir / "second" / "certificate.json").read_bytes()
    later = subprocess.run([drawbridge_bin, "merge", "second/certificate.json", "--out", "second"],
                           capture_output=True, text=True, timeout=300, cwd=workdir, env=_env())
    assert later.returncode == 0 and "(run #2 recorded" in later.stdout, later.stderr
    assert (workdir / "second" / "certificate.json").read_bytes() == kept


def _env() -> dict[str, str]:
    import os

    repo = str(Path(__file__).resolve().parents[2])
    env = {k: v for k, v in os.environ.items() if k != history.ENV}
    env["PYTHONPATH"] = repo + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def test_the_shards_of_one_certification_add_up_to_yes(workdir: Path) -> None:
    ask = ("can-release", "--connector", "reference-python@1.0.0", "--core-version", "v2", *AS_OF)
    for n in (1, 2):
        code, out = drawbridge("certify", "--connector", REFERENCE, "--profile", "v2",
                               "--shard", f"{n}/2", "--out", f"shard{n}", *AS_OF)
        assert code == 0, out
        code, answer = drawbridge(*ask)
        assert code == (1 if n == 1 else 0), answer
    code, out = drawbridge("merge", "shard1/certificate.json", "shard2/certificate.json",
                           "--out", "merged")
    assert code == 0 and "history: reports/history.sqlite (run #3 recorded" in out, out
    assert drawbridge(*ask)[0] == 0


def test_a_changed_contract_asks_for_re_certification(workdir: Path) -> None:
    """Evidence recorded against another contract digest (the contract was edited since)."""
    profile = str(one_scenario_profile(workdir / "one.yaml", "frozen-line"))
    code, _ = drawbridge("certify", "--connector", REFERENCE, "--profile", profile, "--out", "a",
                         *AS_OF)
    assert code == 0
    ask = ("can-release", "--connector", "reference-python@1.0.0", "--core-version", "v2",
           "--profile", profile, *AS_OF)
    assert drawbridge(*ask)[0] == 0
    with sqlite3.connect(workdir / "reports" / "history.sqlite") as db:
        db.execute("UPDATE verdicts SET contract_digest = 'sha256:older'")
    code, no = drawbridge(*ask)
    assert code == 1 and "  re-certify: 1 scenario(s) changed since run #1" in no, no


def test_a_waiver_expiring_more_than_a_year_ahead_is_exit_2(workdir: Path) -> None:
    (workdir / "b.yaml").write_text(
        "format: drawbridge/baseline@1\nwaivers:\n  - scenario: frozen-line\n    owner: o\n"
        "    reason: r\n    expires: 2027-11-29\n", encoding="utf-8")
    done = subprocess.run(
        [str(Path(sys.executable).parent / "drawbridge"), "certify", "--connector", REFERENCE,
         "--profile", "v2", "--baseline", "b.yaml", *AS_OF], capture_output=True, text=True,
        timeout=300, cwd=workdir, env=_env())
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert re.fullmatch(r"drawbridge: b\.yaml:6:\d+ waivers\[0\]\.expires: expiry 2027-11-29 is "
                        r"more than one year after 2026-11-28 \(the date the gate is judged "
                        r"at\); fix: give a date no later than 2027-11-28 and renew the waiver "
                        r"when it expires\n", done.stderr), done.stderr
