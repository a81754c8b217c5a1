"""One benchmark run: install what is missing, measure every section, render the report."""

from __future__ import annotations

import cProfile
import io
import pstats
import tempfile
from pathlib import Path

from bench import (
    contract_diff,
    inprocess,
    install,
    levers,
    library,
    load,
    scale,
    soak,
    startup,
    stubs,
    throughput,
)
from bench.report import Report
from bench.servers import REPO, lineup, prepare


def say(text: str) -> None:
    print(text, flush=True)


#: the sections of a run, in order; ``--only`` picks some
SECTIONS = ("throughput", "levers", "startup", "inprocess", "library", "certify", "mutate",
            "scale", "soak", "diff")


def everything(smoke: bool, no_peers: bool, duration: float, repeats: int,
               sizes: list[int], soak_seconds: float = soak.FULL,
               only: frozenset[str] = frozenset(SECTIONS)) -> str:
    install.CACHE.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="run-", dir=install.CACHE))
    report = Report(smoke=smoke, duration=duration, repeats=repeats, soak_seconds=soak_seconds)
    wrk = install.ensure_wrk() if not smoke else _wrk_or_fail()
    report.tools["wrk"] = wrk
    peers = None
    if not no_peers and "throughput" in only:
        say("installing peers (once) under " + str(install.CACHE))
        peers = install.ensure_peers(work / "npm.log")
        report.peer_versions = dict(peers.versions)
        report.tools["java"] = install.java_version()
    answers = stubs.sample_answers()
    prepare(work, answers)
    report.body_sizes = (len(answers.get_body), len(answers.post_body))

    if "throughput" in only:
        say("throughput and latency")
        settings = throughput.Settings(duration=duration, warmup=0.0 if smoke else 3.0,
                                       repeats=repeats)
        report.settings = settings
        report.servers = lineup(peers)
        report.figures = throughput.run_lineup(report.servers, work, settings, wrk, say,
                                               single_connection={"fakebank"})
    if "levers" in only:
        say("levers of the stateful POST (CPU per request)")
        report.levers = levers.measure(work, wrk, max(1.0, duration / 2),
                                       200 if smoke else 5000, repeats,
                                       200 if smoke else levers.SERVED_COUNT)
    if "startup" in only:
        _startup(report, smoke)
    if "inprocess" in only:
        _inprocess(report, smoke, work)
    if "library" in only:
        say("scenario library")
        target = "scenarios/line-state/frozen-line.yaml" if smoke else "scenarios/"
        for jobs in (1, 2):
            report.library[jobs] = library.run_library(jobs, work / f"library-{jobs}", target)
    report.certify = library.certify_available()
    if report.certify and "certify" in only:
        say("certification profiles")
        for profile in ("v2",) if smoke else ("v2", "v3"):
            for jobs in (1, 2):
                report.certify_runs[(profile, jobs)] = library.median_run([
                    library.run_certify(work / f"certify-{profile}-{jobs}-{n}", profile, jobs)
                    for n in range(1 if smoke else repeats)])
    if "mutate" in only and not smoke:
        say("mutation run")
        report.mutate_run = library.run_mutate(work / "mutate")
    if "scale" in only:
        for count in sizes:
            say(f"scale: {count:,} credit lines")
            report.scale.append(scale.measure(count, work, max(1.0, duration / 2), wrk,
                                              stubs.post_bytes()))
    if "soak" in only:
        say(f"soak: {soak_seconds:g} s of POSTs")
        report.soak = soak.soak(work, wrk, soak_seconds)
    rendered = report.render()
    if "diff" in only:
        say("contract diff on the largest real spec pair")
        rendered += contract_diff.section(smoke)
    return rendered


def _startup(report: Report, smoke: bool) -> None:
    say("start to first answer, idle memory")
    for _ in range(1 if smoke else 5):
        seconds, _rss = startup.serve_cli()
        report.start_cli.append(seconds)
        report.start_cold.append(startup.in_process_cold())
        report.start_warm.append(startup.in_process_warm())
    for _ in range(1 if smoke else 3):
        _seconds, rss = startup.serve_cli(customers=10_000, timeout=120)
        report.rss_10k.append(rss)


def _inprocess(report: Report, smoke: bool, work: Path) -> None:
    say("in process versus loopback")
    count = 200 if smoke else 3000
    for _ in range(1 if smoke else 3):
        report.inproc.append(inprocess.in_process(count))
        report.inproc_instant.append(inprocess.in_process_instant(count))
        report.loopback.append(inprocess.loopback(count, work))
    report.playback = inprocess.playback_available()
    if report.playback:
        for _ in range(1 if smoke else 3):
            via_responses, via_loopback, instant = inprocess.playback(300 if smoke else 1000)
            report.responses.append(via_responses)
            report.responses_loopback.append(via_loopback)
            report.responses_instant.append(instant)
    report.profile = profile_in_process(200 if smoke else 5000)


def _wrk_or_fail() -> str:
    found = load.wrk_binary()
    if found is None:
        raise install.InstallError("wrk is not installed; the smoke run does not install it")
    return found


def profile_in_process(count: int) -> str:
    """cProfile of ``count`` exchanges called straight into the ASGI app: top functions by own
    time (uvicorn's share is not in it; compare the throughput with the ceiling for that)."""
    profiler = cProfile.Profile()
    profiler.enable()
    inprocess.direct(count)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(30)
    lines = [ln for ln in out.getvalue().splitlines() if ln.strip()]
    start = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith("ncalls")), 0)
    return "\n".join(_shorten(ln) for ln in lines[start:])


def _shorten(line: str) -> str:
    """Paths relative to site-packages, the stdlib or the repository, for a readable table."""
    for marker in ("site-packages/", "lib/python3.11/", str(REPO) + "/"):
        line = _cut(line, marker)
    return line


def _cut(line: str, marker: str) -> str:
    at = line.find(marker)
    if at < 0:
        return line
    begin = line.rfind(" ", 0, at) + 1
    return line[:begin] + line[at + len(marker):]
