"""What ``drawbridge diff`` costs on the largest real spec pair (issue 20: within 2x).

Berlin Group NextGenPSD2 1.3.8 -> 1.3.9 (two 0.5 MB YAML documents, 1,076 changes in 212
findings): the whole ``drawbridge diff`` process, its start-up included, as ``farm-bench``
times it. CPU is user + system of the finished child and memory its peak RSS, from the
operating system's own accounting (``resource.getrusage(RUSAGE_CHILDREN)`` deltas), so a
loaded machine stretches the wall time but hardly the CPU.

Baseline (before issue 20's round two: unions, renamed enums, media types, locations,
grouping, validation, --base), farm-bench -n 5 on the project machine: median 0.297 s CPU,
34.1 MiB peak. After it, paired with the baseline code (``farm-bench -n 7 --vs``): 0.391 s
against 0.272 s CPU in the same session, A/B 1.43x median (1.24-1.50), 39.8 MiB against
34.1 MiB; most of the extra is the loader recording where every mapping and key is. The target
is at most twice the baseline CPU. ``python -m bench.contract_diff`` prints the section alone.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
from pathlib import Path

from bench import targets

REPO = Path(__file__).resolve().parents[1]
PAIR = REPO / "tests" / "data" / "real-specs" / "berlingroup-psd2-api"
OLD, NEW = PAIR / "1.3.8-20201106.yaml", PAIR / "1.3.9-20210504.yaml"
BASELINE_CPU_S = 0.297
BASELINE_PEAK_MIB = 34.1


def run_once() -> tuple[float, float]:
    """CPU seconds and peak MiB of one ``drawbridge diff`` process on the pair."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "harness.cli.main", "diff", str(OLD), str(NEW),
                    "--fail-on", "none", "--output", "/dev/null"],
                   cwd=REPO, check=True, capture_output=True, timeout=120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, after.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


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
