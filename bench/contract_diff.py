"""What ``drawbridge diff`` costs on the largest real spec pair (issue 20: within 2x).

Berlin Group NextGenPSD2 1.3.8 -> 1.3.9 (two 0.5 MB YAML documents, 1,076 changes in 212
findings): the whole ``drawbridge diff`` process, its start-up included, as ``farm-bench``
times it. CPU is user + system of the finished child, from the operating system's own
accounting of that child (``os.wait4``), so a loaded machine stretches the wall time but hardly
the CPU; memory is its peak RSS as the process itself saw it (:mod:`bench.peak`).

Baseline (before issue 20's round two: unions, renamed enums, media types, locations,
grouping, validation, --base), farm-bench -n 5 on the project machine: median 0.297 s CPU,
34.1 MiB peak. After it, paired with the baseline code (``farm-bench -n 7 --vs``): 0.391 s
against 0.272 s CPU in the same session, A/B 1.43x median (1.24-1.50), 39.8 MiB against
34.1 MiB; most of the extra is the loader recording where every mapping and key is. The target
is at most twice the baseline CPU. ``python -m bench.contract_diff`` prints the section alone.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from bench import targets

REPO = Path(__file__).resolve().parents[1]
PAIR = REPO / "tests" / "data" / "real-specs" / "berlingroup-psd2-api"
OLD, NEW = PAIR / "1.3.8-20201106.yaml", PAIR / "1.3.9-20210504.yaml"
BASELINE_CPU_S = 0.297
BASELINE_PEAK_MIB = 34.1


def run_once(timeout: float = 120.0) -> tuple[float, float]:
    """CPU seconds and peak MiB of one ``drawbridge diff`` process on the pair.

    CPU comes from that child's own accounting (``os.wait4``), its peak from itself
    (:mod:`bench.peak`): ``RUSAGE_CHILDREN``'s peak is the largest of every child the bench ever
    waited for (it reported a WireMock run's 2.9 GB), and any child's ``ru_maxrss`` starts
    from the high-water mark of the bench process it was forked from."""
    with tempfile.TemporaryDirectory() as work:
        peak_file, err_file = Path(work, "peak"), Path(work, "stderr")
        with err_file.open("wb") as err:
            child = subprocess.Popen(
                [sys.executable, "-m", "bench.peak", str(peak_file), "harness.cli.main",
                 "diff", str(OLD), str(NEW), "--fail-on", "none", "--output", "/dev/null"],
                cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
            killer = threading.Timer(timeout, child.kill)
            killer.start()
            try:
                _, status, usage = os.wait4(child.pid, 0)
            finally:
                killer.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        if child.returncode != 0 or not peak_file.exists():
            raise RuntimeError(f"drawbridge diff exited {child.returncode}: "
                               + err_file.read_text(errors="replace").strip()[-500:])
        peak_kib = int(peak_file.read_text())
    return usage.ru_utime + usage.ru_stime, peak_kib / 1024


def measure(runs: int) -> tuple[float, float]:
    """Median CPU seconds and the largest peak MiB over ``runs`` runs (after one warm-up)."""
    run_once()
    figures = [run_once() for _ in range(runs)]
    return statistics.median(c for c, _ in figures), max(m for _, m in figures)


def section(smoke: bool) -> str:
    """The Markdown section of BENCHMARKS.md, with its verdict."""
    cpu, peak = measure(1 if smoke else 5)
    verdict = targets.at_most(f"drawbridge diff PSD2 1.3.8 -> 1.3.9 CPU <= 2x "
                              f"{BASELINE_CPU_S} s", cpu, 2 * BASELINE_CPU_S, " s")
    return "\n".join([
        "", "## Contract diff on the largest real spec pair", "",
        "`drawbridge diff` on Berlin Group NextGenPSD2 1.3.8 -> 1.3.9 (0.5 MB each), whole "
        "process, median of the runs (bench/contract_diff.py).", "",
        "| figure | now | baseline before issue 20 round two |", "|---|---|---|",
        f"| CPU (user + system) | {cpu:.3f} s | {BASELINE_CPU_S:.3f} s |",
        f"| peak RSS | {peak:.1f} MiB | {BASELINE_PEAK_MIB:.1f} MiB |", "",
        f"Target: {verdict.target}: {verdict.word} ({verdict.measured}).", "",
    ])


if __name__ == "__main__":
    print(section(smoke="--smoke" in sys.argv))
