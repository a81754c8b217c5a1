"""`python -m bench --smoke` still runs end to end and writes a report with real figures.

The benchmark itself never runs in `make test`; this keeps its code working (tiny durations, no
peers, one scenario, one size) and writes to a temporary file, never BENCHMARKS.md.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_smoke_run_writes_a_report_with_measured_figures(tmp_path: Path) -> None:
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (make bench installs it)")
    out = tmp_path / "BENCHMARKS.md"
    before = (ROOT / "BENCHMARKS.md").read_bytes() if (ROOT / "BENCHMARKS.md").exists() else None
    done = subprocess.run([sys.executable, "-m", "bench", "--smoke", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    text = out.read_text()
    assert "**Smoke run**" in text
    # The fake bank really served load: a positive request rate and no failed answers.
    row = next(ln for ln in text.splitlines() if ln.startswith("| Drawbridge fake bank"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert float(cells[1].split()[0].replace(",", "")) > 0
    assert cells[-1] == "0"
    # Every target has a verdict; peers are honestly "not measured" in a smoke run.
    assert re.search(r"\| stateful POST >= 3x Prism default \| - \| not measured", text)
    assert re.search(r"start to first answer .* \| [0-9.]+ s \| \*\*(met|not met)\*\*", text)
    assert "| 1,000 |" in text  # the scale table has its one size
    assert "fake_core_bank/http/app.py" in text  # the profile names the fake bank's own code
    # The responses route is shown beside its floor (requests + responses with an instant
    # handler), and its verdict says how far any fake bank could go on this route.
    assert re.search(r"\| responses, instant handler \| [0-9]", text)
    assert re.search(r"\| in process, an instant ASGI app \(the floor\) \| [0-9]", text)
    # Issue 19: the bank's own share of an in-process exchange, the httpx route beside it.
    assert re.search(r"own share of an exchange <= 1/3 \| [0-9.]+ \(httpx ASGITransport route: "
                     r"[0-9.]+\) \| \*\*(met|not met)\*\*", text)
    # The soak, the certification wall times and the levers have figures and verdicts.
    assert re.search(r"POST soak within 1.2x .*\(shortened.*\| [0-9.]+x \| \*\*(met|not met)",
                     text)
    assert re.search(r"certify --profile v2 --jobs 2.*\| [0-9.]+ s \| \*\*(met|not met)", text)
    assert re.search(r"\| v2 \| 2 \| [0-9.]+ \| - \| 0 \|", text)  # smoke: one run, no spread
    assert re.search(r"\| `drawbridge serve --self-check` \| [0-9,]+ .*\| [0-9]+ \| 0 \|", text)
    assert re.search(r"\| self-check on .*\| [0-9.]+", text)
    # the work floor: the bank's server with the work taken out, and its app as served
    assert re.search(r"\| the fake bank's server answering its bytes, no work .*\| [0-9]+ \| 0 \|",
                     text)
    assert re.search(r"The work floor: [0-9]+ us per POST", text)
    after = (ROOT / "BENCHMARKS.md").read_bytes() if (ROOT / "BENCHMARKS.md").exists() else None
    assert before == after


def test_bad_sizes_are_refused_with_one_line() -> None:
    done = subprocess.run([sys.executable, "-m", "bench", "--smoke", "--sizes", "1k"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.strip() == "--sizes: expected comma-separated integers, got '1k'"


@pytest.mark.parametrize(("args", "says"), [
    (["--only", "soak,nothing"], "--only: unknown section(s) nothing; choose from"),
    (["--soak", "1"], "--soak: at least 2 seconds, got 1"),
])
def test_bad_sections_or_soak_are_refused_with_one_line(args: list[str], says: str) -> None:
    done = subprocess.run([sys.executable, "-m", "bench", "--smoke", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.strip().startswith(says)


@pytest.mark.slow
def test_two_wrk_runs_of_one_script_book_every_post_afresh(tmp_path: Path) -> None:
    # A warm-up and its measurement, or the halves of a soak, share one script and one server:
    # a key repeated from the first run would be an idempotent replay that books nothing.
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (make bench installs it)")
    import httpx

    from bench import load, stubs
    from bench.servers import fake_bank, prepare

    prepare(tmp_path, stubs.sample_answers())
    script = tmp_path / "post.lua"
    script.write_text(load.post_script(stubs.post_bytes()))
    child = fake_bank()(tmp_path)
    try:
        runs = [load.run_wrk(child.base_url + stubs.POST_PATH, duration=1, threads=2,
                             connections=4, script=script) for _ in range(2)]
        drawdowns = httpx.get(child.base_url + "/_control/state", timeout=30).json()["drawdowns"]
    finally:
        child.stop()
    assert all(r.errors == 0 and r.requests > 0 for r in runs)
    assert len(drawdowns) >= sum(r.requests for r in runs)


def test_the_diffs_peak_memory_is_its_own_not_that_of_a_process_before_it() -> None:
    # make bench runs WireMock (2.9 GB) before the diff, and grows itself: RUSAGE_CHILDREN's
    # peak kept the first, and a child's ru_maxrss starts from the second (it is forked from it).
    from bench import contract_diff

    big = "b = bytearray(400 * 2**20); b[::4096] = b'x' * len(b[::4096])"  # 400 MiB resident
    subprocess.run([sys.executable, "-c", big], check=True, timeout=60)
    mine = bytearray(300 * 2**20)
    mine[::4096] = b"x" * len(mine[::4096])  # this process: 300 MiB more resident
    cpu, peak_mib = contract_diff.run_once()
    del mine
    assert cpu > 0 and 10 < peak_mib < 250, (cpu, peak_mib)


def test_the_no_work_bank_answers_the_fake_banks_bytes_headers_included(tmp_path: Path) -> None:
    # The work floor's server part: the fake bank's server answering what the fake bank answers
    # and doing nothing else. Every header the fake bank's answer carries (v2's deprecation,
    # sunset and link among them) is work the server does per answer, so it sends them too.
    import httpx

    from bench import stubs
    from bench.servers import fake_bank, no_work_bank, prepare

    prepare(tmp_path, stubs.sample_answers())
    answers = []
    for start in (fake_bank(), no_work_bank):
        child = start(tmp_path)
        try:
            got = httpx.post(child.base_url + stubs.POST_PATH, content=stubs.post_bytes(),
                             headers={"content-type": "application/json",
                                      "idempotency-key": "sample-1"}, timeout=30)
        finally:
            child.stop()
        headers = [(k, v) for k, v in got.headers.multi_items() if k != "date"]
        answers.append((got.status_code, headers, got.content))
    bank, no_work = answers
    assert [name for name, _ in bank[1]] == ["content-type", "content-length", "deprecation",
                                            "sunset", "link"]
    assert no_work == bank
