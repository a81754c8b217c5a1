"""BENCHMARKS.md: machine, versions, method, figures (medians and ranges), ratios, verdicts."""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from bench import levers as levers_section
from bench import load, targets
from bench import soak as soak_section
from bench.levers import Levers
from bench.library import LibraryRun
from bench.scale import ScalePoint
from bench.servers import Server
from bench.soak import Soak
from bench.stats import median, spread
from bench.throughput import Figures, Settings
from harness.cli.serve import SERVE_LEDGER_MEMORY

MB = 1024 * 1024


@dataclass
class Report:
    smoke: bool
    duration: float
    repeats: int
    settings: Settings | None = None
    tools: dict[str, str] = field(default_factory=dict)
    peer_versions: dict[str, str] = field(default_factory=dict)
    body_sizes: tuple[int, int] = (0, 0)
    servers: list[Server] = field(default_factory=list)
    figures: dict[str, Figures] = field(default_factory=dict)
    start_cli: list[float] = field(default_factory=list)
    start_cold: list[float] = field(default_factory=list)
    start_warm: list[float] = field(default_factory=list)
    rss_10k: list[int] = field(default_factory=list)
    inproc: list[float] = field(default_factory=list)
    inproc_instant: list[float] = field(default_factory=list)
    loopback: list[float] = field(default_factory=list)
    playback: bool = False
    responses: list[float] = field(default_factory=list)
    responses_loopback: list[float] = field(default_factory=list)
    responses_instant: list[float] = field(default_factory=list)
    certify_runs: dict[tuple[str, int], LibraryRun] = field(default_factory=dict)
    soak_seconds: float = 600.0
    soak: Soak | None = None
    levers: Levers | None = None
    mutate_run: LibraryRun | None = None
    profile: str = ""
    library: dict[int, LibraryRun] = field(default_factory=dict)
    certify: bool = False
    scale: list[ScalePoint] = field(default_factory=list)
    load_before: str = field(default_factory=lambda: _loadavg())

    # -- figures -------------------------------------------------------------------------------
    def paired_ratio(self, mine: str, theirs: str, kind: str) -> list[float]:
        """Fake bank over peer, repeat by repeat (servers ran back to back in each repeat)."""
        a, b = self.figures.get(mine), self.figures.get(theirs)
        if a is None or b is None:
            return []
        ours: list[load.LoadResult] = getattr(a, kind)
        others: list[load.LoadResult] = getattr(b, kind)
        return [x.rps / y.rps for x, y in zip(ours, others, strict=False) if y.rps > 0]

    def _peer_floor(self, peer: str, need: float, kind: str) -> str:
        """What meeting ``need`` x ``peer`` asks of any Python server here, measured against
        the no-work ceiling in the same repeats (empty without the ceiling)."""
        theirs = self.paired_ratio(peer, "ceiling", kind)
        ours = self.paired_ratio("fakebank", "ceiling", kind)
        if not theirs or not ours:
            return ""
        asked = need * median(theirs)
        where = ("more than the ceiling itself: no Python server on uvicorn doing any work "
                 "can" if asked >= 1 else f"the fake bank does {median(ours):.2f}x")
        return (f"floor: the peer answers at {median(theirs):.2f}x the no-work Python ceiling, "
                f"so {need:g}x it needs {asked:.2f}x the ceiling; {where}"
                + (self._work_budget(peer, need) if kind == "post" else ""))

    def _work_budget(self, peer: str, need: float) -> str:
        """The server CPU per POST that ``need`` x ``peer`` leaves the fake bank, against the
        work floor of the levers section (empty when either is not measured). A saturated
        server's requests per second go as the inverse of its CPU per request, so reaching
        ``need`` from the paired ratio ``r`` asks for ``cpu * r / need``."""
        ratios = self.paired_ratio("fakebank", peer, "post")
        floor = levers_section.work_floor(self.levers)
        ours = self.levers.server.get(levers_section.OURS) if self.levers else None
        if not ratios or floor is None or not ours:
            return ""
        cpu = median([c.cpu_us for c in ours])
        budget = cpu * median(ratios) / need
        verdict = ("below the work floor: not even the server's two parts, each measured "
                   "alone, fit in it" if budget < floor else
                   f"{budget - floor:.0f} us above the work floor")
        return (f"; by CPU it leaves {budget:.0f} us per POST where the fake bank spends "
                f"{cpu:.0f} and the work floor is {floor:.0f} ({verdict})")

    def verdicts(self) -> list[targets.Verdict]:
        out: list[targets.Verdict] = []
        for kind, word in (("post", "stateful POST"), ("get", "GET")):
            for peer, need, name in (("wiremock-lean", 1.0, "WireMock static, journal off"),
                                     ("prism", 3.0, "Prism default"),
                                     ("mountebank", 3.0, "mountebank default")):
                ratios = self.paired_ratio("fakebank", peer, kind)
                verdict = targets.at_least(f"{word} >= {need:g}x {name}",
                                           median(ratios) if ratios else None, need,
                                           why="peer not run" if not ratios else "")
                if verdict.met is False:
                    verdict = replace(verdict, why=self._peer_floor(peer, need, kind))
                out.append(verdict)
        ceiling = self.paired_ratio("fakebank", "ceiling", "post")
        out.append(targets.at_least("stateful POST >= 0.5x the no-work Starlette ceiling",
                                    median(ceiling) if ceiling else None, 0.5))
        out.append(targets.at_most("start to first answer (drawbridge serve --port 0) <= 0.3 s",
                                   median(self.start_cli) if self.start_cli else None, 0.3,
                                   " s"))
        out.append(targets.at_most("RSS idle with 10,000 lines <= 80 MB",
                                   median(self.rss_10k) / MB if self.rss_10k else None, 80,
                                   " MB", fmt="{:.0f}"))
        run1 = self.library.get(1)
        whole = run1 is not None and not self.smoke
        out.append(targets.at_most(
            "whole scenario library (jobs 1, reference connector) <= 30 s",
            run1.seconds if whole and run1 else None, 30, " s",
            why="smoke run: one scenario only" if not whole else ""))
        out.append(targets.at_most(
            "whole mutate run of one profile (v3, jobs 2, reference connector) <= 180 s",
            self.mutate_run.seconds if self.mutate_run else None, 180, " s",
            why="smoke run: not run" if self.mutate_run is None else ""))
        out.append(self._share_verdict())
        out.append(self._soak_verdict())
        v2 = self.certify_runs.get(("v2", 2))
        out.append(targets.at_most(
            "time to verdict: `certify --profile v2 --jobs 2` (reference connector) <= 3 s",
            v2.seconds if v2 is not None and v2.exit_code == 0 else None, 3.0, " s",
            why="not run" if v2 is None else (f"exit {v2.exit_code}" if v2.exit_code else "")))
        flat = None
        if len(self.scale) >= 2:
            flat = self.scale[-1].get.p50_ms / self.scale[0].get.p50_ms
        label = (f"GET p50 with {self.scale[-1].lines:,} lines within 1.5x of "
                 f"{self.scale[0].lines:,}" if len(self.scale) >= 2
                 else "per-request p50 flat from 1,000 to 1,000,000 lines (within 1.5x)")
        out.append(targets.at_most(label, flat, 1.5, "x",
                                   why="needs two sizes" if flat is None else ""))
        return out

    @staticmethod
    def _share(exchange: list[float], instant: list[float]) -> float | None:
        """The fake bank's own share of an in-process exchange: (exchange - floor) / exchange."""
        if not exchange or not instant:
            return None
        whole = median(exchange)
        return max(0.0, whole - median(instant)) / whole

    def _share_verdict(self) -> targets.Verdict:
        share = self._share(self.responses, self.responses_instant)
        httpx_share = self._share(self.inproc, self.inproc_instant)
        verdict = targets.at_most(
            "in process (responses, harness.playback): the fake bank's own share of an "
            "exchange <= 1/3", share, 1 / 3, "",
            why="not measured in this run" if share is None else "")
        if httpx_share is None or share is None:
            return verdict
        return targets.Verdict(verdict.target, f"{share:.2f} (httpx ASGITransport route: "
                               f"{httpx_share:.2f})", verdict.met, verdict.why)

    def _soak_verdict(self) -> targets.Verdict:
        s = self.soak
        label = (f"RSS after a 10-minute POST soak within {soak_section.GROWTH_TARGET:g}x of RSS "
                 "after the first minute")
        if s is not None and s.seconds < soak_section.FULL:
            label += (f" (shortened run: {s.seconds:g} s, first sample at {s.first_at:g} s)")
        why = "not run" if s is None else ""
        if s is not None and s.growth > soak_section.GROWTH_TARGET:
            why = (f"the ledger adds {s.ledger_bytes:.0f} B per booking with its bound, "
                   f"{s.ledger_growth / MB:.0f} MB of this soak; without it "
                   f"{s.growth_beyond_ledger:.2f}x")
        return targets.at_most(label, s.growth if s is not None else None,
                               soak_section.GROWTH_TARGET, "x", why=why)

    # -- rendering -----------------------------------------------------------------------------
    def render(self) -> str:
        parts = [self._head(), self._summary(), self._machine(), self._method(),
                 self._throughput(), self._single(), levers_section.render(self.levers),
                 self._startup(), self._inprocess(), self._library(), self._certify(),
                 self._scale(), soak_section.render(self.soak), self._profile()]
        return "\n".join(p for p in parts if p) + "\n"

    def _head(self) -> str:
        when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        smoke = ("\n> **Smoke run**: tiny durations, no peers. These figures prove the bench "
                 "works; they are not benchmark results.\n" if self.smoke else "")
        return (f"# Benchmarks\n\nWritten by `make bench` (`python -m bench`) on {when}. "
                "Rerun it to refresh every figure; nothing here is edited by hand.\n" + smoke)

    def _summary(self) -> str:
        rows = ["## Targets (issues 8 and 19)\n", "| target | measured (median) | verdict |",
                "|---|---|---|"]
        for v in self.verdicts():
            rows.append(f"| {v.target} | {v.measured} | {v.word}"
                        + (f" ({v.why})" if v.why else "") + " |")
        met = sum(1 for v in self.verdicts() if v.met)
        total = sum(1 for v in self.verdicts() if v.met is not None)
        rows.append(f"\n{met} of {total} measured targets met. Ratios are medians of per-repeat "
                    "ratios: in each repeat the servers ran back to back with the same wrk "
                    "settings.\n")
        return "\n".join(rows)

    def _machine(self) -> str:
        cpu = _cpu_model()
        mem = _mem_total()
        versions = {name: _version(name) for name in
                    ("uvicorn", "starlette", "uvloop", "httptools", "orjson", "jsonschema-rs",
                     "httpx", "faker")}
        lines = ["## Machine and versions\n",
                 f"- CPU: {cpu}, {os.cpu_count()} logical cores; memory {mem}",
                 f"- Kernel: {platform.system()} {platform.release()}; "
                 f"Python {platform.python_version()}",
                 f"- Load average at start: {self.load_before}; at the end: {_loadavg()} "
                 "(other work on the machine shows here)",
                 f"- wrk: {_wrk_version(self.tools.get('wrk', 'wrk'))}",
                 "- Python packages: " + ", ".join(f"{k} {v}" for k, v in versions.items())]
        if self.peer_versions:
            lines.append("- Peers: " + ", ".join(f"{k} {v}" for k, v in
                                                 sorted(self.peer_versions.items()))
                         + f"; {self.tools.get('java', 'java ?')}; node {_node_version()}")
        return "\n".join(lines) + "\n"

    def _method(self) -> str:
        s = self.settings or Settings()
        get_size, post_size = self.body_sizes
        return (
            "## Method\n\n"
            f"- Load: `wrk -t{s.threads} -c{s.connections} -d{s.duration:g}s --latency` on "
            f"127.0.0.1, after a {s.warmup:g} s warm-up of each request; {s.repeats} repeat(s); "
            "each repeat starts every server afresh and runs them one after another, so a "
            "noisy moment of the machine hits all of them.\n"
            "- Requests: `GET /v2/credit-lines/CL000001` and `POST "
            "/v2/credit-lines/CL000001/drawdowns` (a one-fen drawdown, JSON body). Every POST "
            "carries a fresh `Idempotency-Key` (a wrk Lua script: thread id and counter), so the "
            "fake bank books every one.\n"
            "- The fake bank runs as `drawbridge serve` in its default configuration: every "
            "request validated against the v2 contract, every exchange journaled (the newest "
            "20,000 in memory, older ones spilled to a file), every booking kept under the "
            f"bank's lock (the newest {SERVE_LEDGER_MEMORY:,} final ones in memory, older ones "
            "spilled to a temporary database); "
            "its own answers are checked against the contract only with `--self-check` (the "
            "levers section measures that).\n"
            f"- The peers answer fixed stubs with the fake bank's own bytes ({get_size} B for "
            f"the GET, {post_size} B for the POST): WireMock mappings (default, and with "
            "`--no-request-journal --disable-request-logging`), a Prism mock of a small OpenAPI "
            "document whose examples are those bodies (Prism validates the POST body against "
            "its schema), mountebank imposters. Peers are installed under "
            "`~/.cache/drawbridge-bench`, never in the repository.\n"
            "- The ceiling is `bench/ceiling.py`: Starlette on uvicorn with uvloop and "
            "httptools, no access log, answering the same bytes without any work. It bounds "
            "what a Python server can do here; it is not a peer.\n"
            "- Figures are `median (min-max)` over repeats. wrk shares the 2 cores with the "
            "server under test, as in the issue's reference figures.\n")

    def _throughput(self) -> str:
        rows = ["## Throughput and latency under load\n",
                "| server | GET req/s | GET p50 / p99 ms | POST req/s | POST p50 / p99 ms | "
                "start s | RSS idle / after MB | errors |", "|---|---|---|---|---|---|---|---|"]
        for server in self.servers:
            f = self.figures.get(server.key)
            if f is None:
                continue
            if f.failure and not f.get:
                rows.append(f"| {server.label} | failed: {f.failure[:120]} | | | | | | |")
                continue
            errors = sum(r.errors for r in f.get + f.post)
            rows.append(
                f"| {server.label} | {spread([r.rps for r in f.get])} | "
                f"{_lat(f.get)} | {spread([r.rps for r in f.post])} | {_lat(f.post)} | "
                f"{spread(f.started_in, '{:.2f}')} | "
                f"{spread([r / MB for r in f.rss_idle])} / "
                f"{spread([r / MB for r in f.rss_after])} | {errors} |")
        rows.append("\n**Ratios** (fake bank over each, per-repeat medians, range in brackets):\n")
        rows += ["| versus | GET | POST |", "|---|---|---|"]
        for server in self.servers:
            if server.key == "fakebank":
                continue
            cells = []
            for kind in ("get", "post"):
                ratios = self.paired_ratio("fakebank", server.key, kind)
                cells.append(spread(ratios, "{:.2f}x"))
            rows.append(f"| {server.label} | {cells[0]} | {cells[1]} |")
        return "\n".join(rows) + "\n"

    def _single(self) -> str:
        f = self.figures.get("fakebank")
        if f is None or not f.single_get:
            return ""
        return ("## Fake bank at one connection (`wrk -t1 -c1`)\n\n"
                "| request | req/s | p50 ms | p99 ms |\n|---|---|---|---|\n"
                f"| GET credit line | {spread([r.rps for r in f.single_get])} | "
                f"{spread([r.p50_ms for r in f.single_get], '{:.3f}')} | "
                f"{spread([r.p99_ms for r in f.single_get], '{:.3f}')} |\n"
                f"| POST drawdown | {spread([r.rps for r in f.single_post])} | "
                f"{spread([r.p50_ms for r in f.single_post], '{:.3f}')} | "
                f"{spread([r.p99_ms for r in f.single_post], '{:.3f}')} |\n")

    def _startup(self) -> str:
        return ("## Start to first answer and idle memory\n\n"
                "| what | seconds |\n|---|---|\n"
                f"| `drawbridge serve --port 0` (10 lines): spawn, read the URL it prints, poll "
                f"until the first answer | {spread(self.start_cli, '{:.3f}')} |\n"
                "| in process, cold: a fresh interpreter imports, builds and starts a BankServer "
                f"and asks it once | {spread(self.start_cold, '{:.3f}')} |\n"
                "| in process, warm: BankServer built, started and asked in a process that "
                f"already imported everything | {spread(self.start_warm, '{:.3f}')} |\n\n"
                "RSS of `drawbridge serve --customers 10000`, idle after its first answer: "
                f"{spread([r / MB for r in self.rss_10k])} MB.\n")

    def _inprocess(self) -> str:
        if not self.inproc:
            return ""
        speedup = median(self.loopback) / median(self.inproc)
        note = ("The httpx in-process path: `httpx.AsyncClient` with `ASGITransport` calling "
                "the fake bank's ASGI app, against the same client over loopback to "
                "`drawbridge serve` in another process.")
        return ("## In process versus loopback, per exchange\n\n" + note + " Exchanges "
                "alternate the GET and a POST with a fresh key, one at a time.\n\n"
                "| path | microseconds per exchange |\n|---|---|\n"
                f"| in process (ASGITransport) | {spread([x * 1e6 for x in self.inproc])} |\n"
                + (f"| in process, an instant ASGI app (the floor) | "
                   f"{spread([x * 1e6 for x in self.inproc_instant])} |\n"
                   if self.inproc_instant else "")
                + f"| loopback (TCP, keep-alive) | {spread([x * 1e6 for x in self.loopback])} |\n\n"
                f"In process is {speedup:.2f}x faster per exchange." + (
                    f" The floor is the same client and transport calling an ASGI app that "
                    f"answers the fake bank's bytes at once: no fake bank behind ASGITransport "
                    f"can be more than "
                    f"{median(self.loopback) / median(self.inproc_instant):.2f}x faster than "
                    f"this loopback." if self.inproc_instant else "")
                + "\n" + self._playback())

    def _playback(self) -> str:
        if not self.responses:
            return ("\n`harness.playback` (the `responses` route) was not available to this run."
                    "\n")
        ratio = median(self.responses_loopback) / median(self.responses)
        return ("\nThrough `responses` (`harness.playback.measure.per_exchange`: one "
                "`requests.Session` with `trust_env = False` in both modes, so requests' "
                "per-call scan of the environment for proxies is left out of both; GET and POST "
                "alternating; its loopback server is a BankServer thread in the same process):"
                "\n\n| path | microseconds per exchange |\n|---|---|\n"
                f"| in process (responses) | {spread([x * 1e6 for x in self.responses])} |\n"
                f"| loopback (BankServer thread) | "
                f"{spread([x * 1e6 for x in self.responses_loopback])} |\n\n"
                f"Through `responses` is {ratio:.2f}x faster per exchange.\n"
                + self._playback_floor())

    def _playback_floor(self) -> str:
        if not self.responses_instant:
            return ""
        instant = median(self.responses_instant)
        ceiling = median(self.responses_loopback) / instant
        own = median(self.responses) - instant
        share = (f": the fake bank's own share is {own * 1e6:.0f} us of "
                 f"{median(self.responses) * 1e6:.0f}" if own > 0 else
                 " (the fake bank's own share is within this run's noise)")
        return ("\nThe floor under that route: the same exchanges through `responses` to a "
                "handler that answers at once with the bytes the fake bank gave (`instant`), i.e. "
                "what `requests` and `responses` cost by themselves:\n\n"
                "| path | microseconds per exchange |\n|---|---|\n"
                f"| responses, instant handler | "
                f"{spread([x * 1e6 for x in self.responses_instant])} |\n\n"
                f"No fake bank mounted in `responses` can be more than {ceiling:.2f}x faster per "
                "exchange than this loopback, however little it does" + share + ".\n")

    def _library(self) -> str:
        if not self.library:
            return ""
        rows = ["## Scenario library (reference connector, v2 and v3)\n",
                "| jobs | wall s | exit | result |", "|---|---|---|---|"]
        for jobs, result in sorted(self.library.items()):
            rows.append(f"| {jobs} | {result.seconds:.1f} | {result.exit_code} | "
                        f"{result.summary} |")
        if 1 in self.library and 2 in self.library and self.library[2].seconds:
            rows.append(f"\n`--jobs 2` speed-up: "
                        f"{self.library[1].seconds / self.library[2].seconds:.2f}x.")
        rows.append(_profile_run(
            "Mutation run of profile v3", self.mutate_run,
            "`drawbridge mutate --profile v3 --jobs 2`, the whole catalogue, reference connector",
            "not run (smoke run)."))
        return "\n".join(rows) + "\n"

    def _certify(self) -> str:
        if not self.certify:
            return "## Time to verdict\n\n`drawbridge certify` does not exist yet.\n"
        if not self.certify_runs:
            return ""
        rows = ["## Time to verdict (`drawbridge certify`, reference connector)\n",
                "Wall time of the whole command, from its start to its exit (load the library, "
                "run the profile's scenarios, write certificate.json, report.html, summary.md and "
                "junit.xml): what a CI pipeline pays; the median of the bench's repeats.\n",
                "| profile | jobs | wall s (median) | fastest - slowest | exit | last line |",
                "|---|---|---|---|---|---|"]
        for (profile, jobs), run in sorted(self.certify_runs.items()):
            spread = f"{run.spread[0]:.2f} - {run.spread[1]:.2f}" if run.spread else "-"
            rows.append(f"| {profile} | {jobs} | {run.seconds:.2f} | {spread} | "
                        f"{run.exit_code} | {run.summary} |")
        return "\n".join(rows) + "\n"

    def _scale(self) -> str:
        if not self.scale:
            return ""
        rows = ["## Scale: seeding and per-request latency by number of credit lines\n",
                "Seeding is `FakeBank(BankConfig(customers=N))` in a fresh interpreter. Requests "
                "are one at a time (`wrk -t1 -c1`) on random lines (every seeded id: the "
                "contracts' `CL` + six digits, CL000000..CL999999 at a million).\n",
                "| lines | seeding s | RSS after seeding MB | GET p50 / p99 ms | "
                "POST p50 / p99 ms |", "|---|---|---|---|---|"]
        for p in self.scale:
            rows.append(f"| {p.lines:,} | {p.seed_seconds:.2f} | {p.seed_rss / MB:.0f} | "
                        f"{p.get.p50_ms:.3f} / {p.get.p99_ms:.3f} | "
                        f"{p.post.p50_ms:.3f} / {p.post.p99_ms:.3f} |")
        return "\n".join(rows) + "\n"

    def _profile(self) -> str:
        if not self.profile:
            return ""
        return ("## Where the time goes\n\ncProfile of exchanges called straight into the fake "
                "bank's ASGI app (GET and POST alternating; the request path minus uvicorn and "
                "sockets), top functions by own time:\n\n```\n"
                + self.profile + "\n```\n")


def _lat(results: list[load.LoadResult]) -> str:
    if not results:
        return "-"
    return f"{median([r.p50_ms for r in results]):.2f} / {median([r.p99_ms for r in results]):.2f}"


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _mem_total() -> str:
    try:
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        return f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, IndexError, ValueError):
        return "?"


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


def _wrk_version(wrk: str) -> str:
    done = subprocess.run([wrk, "-v"], capture_output=True, text=True, timeout=10, check=False)
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0].split(" Copyright")[0] if text else "?"


def _node_version() -> str:
    try:
        done = subprocess.run(["node", "--version"], capture_output=True, text=True, timeout=10,
                              check=False)
    except OSError:
        return "?"
    return done.stdout.strip() or "?"


def _profile_run(what: str, run: LibraryRun | None, how: str, absent: str) -> str:
    if run is None:
        return f"\n{what}: {absent}"
    return f"\n{what} ({how}): {run.seconds:.1f} s, exit {run.exit_code} ({run.summary})."
