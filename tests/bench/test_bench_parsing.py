"""The pieces of the bench that decide figures and verdicts: wrk parsing, ratios, verdicts."""

from __future__ import annotations

import pytest

from bench import load, targets
from bench.stats import spread

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:1/x
  2 threads and 32 connections
Requests/sec:   1000.00
BENCH-JSON {"requests": 20000, "duration_us": 10000000, "connect": 0, "read": 1, "write": 0, \
"status": 4, "timeout": 0, "p50": 1500, "p90": 3000, "p99": 9000, "mean": 1700.0}
"""


def test_wrk_summary_is_parsed_into_rate_latency_and_errors() -> None:
    result = load.parse(WRK_OUTPUT)
    assert result.rps == 2000.0
    assert (result.p50_ms, result.p90_ms, result.p99_ms) == (1.5, 3.0, 9.0)
    assert result.errors == 5  # read errors and non-2xx answers both count


def test_wrk_output_without_summary_is_an_error_naming_it() -> None:
    with pytest.raises(RuntimeError, match="wrk printed no summary"):
        load.parse("Running 10s test\n")


def test_post_script_embeds_the_body_and_a_fresh_key_per_request() -> None:
    script = load.post_script(b'{"amount":1}')
    assert '[==[{"amount":1}]==]' in script
    assert '"bench-" .. run .. "-" .. id .. "-" .. counter' in script
    assert "/proc/sys/kernel/random/uuid" in script  # a fresh tag per wrk run


def test_verdicts_compare_against_the_threshold_and_say_when_unmeasured() -> None:
    assert targets.at_least("t", 1.2, 1.0).met is True
    assert targets.at_least("t", 0.9, 1.0).met is False
    assert targets.at_most("t", 0.31, 0.3, " s").met is False
    unmeasured = targets.at_least("t", None, 1.0, why="peer not run")
    assert unmeasured.met is None and unmeasured.word == "not measured"


def test_spread_is_median_and_range() -> None:
    assert spread([3.0, 1.0, 2.0]) == "2 (1-3)"
    assert spread([]) == "-"


def test_issue_19_verdicts_fire_on_growth_a_large_share_and_a_slow_certification() -> None:
    from bench.library import LibraryRun
    from bench.report import Report
    from bench.soak import Soak

    def verdicts(growth: float, exchange: float, v2_seconds: float) -> dict[str, bool | None]:
        report = Report(smoke=False, duration=1, repeats=1, soak_seconds=600)
        report.soak = Soak(600, 60, 100, int(100 * growth), 1, 0, {})
        report.responses, report.responses_instant = [exchange], [200e-6]
        report.certify_runs[("v2", 2)] = LibraryRun(v2_seconds, 0, "gate: PASSED")
        return {v.target.split(":")[0].split(" within")[0]: v.met for v in report.verdicts()
                if "soak" in v.target or "share" in v.target or "certify" in v.target}

    good = verdicts(1.1, 260e-6, 2.5)
    assert list(good.values()) == [True, True, True]
    bad = verdicts(1.5, 400e-6, 3.5)  # grows, bank is half of an exchange, slow verdict
    assert list(bad.values()) == [False, False, False]


def test_time_to_verdict_is_the_median_of_the_repeats_and_a_failure_wins() -> None:
    from bench.library import LibraryRun, median_run

    runs = [LibraryRun(s, 0, "gate: PASSED") for s in (3.4, 2.6, 2.9)]
    middle = median_run(runs)
    assert (middle.seconds, middle.spread) == (2.9, (2.6, 3.4))
    failed = median_run([*runs, LibraryRun(1.0, 1, "gate: FAILED")])
    assert (failed.exit_code, failed.spread) == (1, None)
    assert median_run(runs[:1]) is runs[0]


def test_the_soak_report_says_what_the_ledger_keeps_in_memory_and_costs_per_booking() -> None:
    from bench.soak import Soak, render

    soak = Soak(40, 20, 100 * 2**20, 110 * 2**20, 1000, 0,
                {"entries": 1000, "inMemory": 10, "memoryLimit": 20, "overflow": "spill",
                 "dropped": 0}, booked_after_first=500, ledger_bytes=2.0,
                ledger={"bookings": 1000, "inMemory": 7, "memoryLimit": 10, "spilled": 993,
                        "spillError": None}, ledger_bytes_unbounded=800.0)
    text = render(soak)
    assert "1,000 bookings, 7 in memory (bound 10), 993 spilled" in text
    assert "2 B of resident memory with the served bound, 800 B with every booking" in text
    assert "spill error" not in text
    failed = render(Soak(40, 20, 1, 1, 1, 0, {}, ledger={"spillError": "disk full"}))
    assert "? bookings" in failed and "**spill error**: disk full" in failed


def test_a_bounded_ledgers_noise_is_never_extrapolated_into_growth_that_did_not_happen() -> None:
    from bench.soak import Soak, render

    mb = 2**20
    # This run's figures: 7 B a booking measured on the bounded ledger (noise), 8.4 million
    # bookings, RSS flat. 7 B x 8.4 M would "account for" 56 MB of a growth of 0 MB.
    flat = Soak(600, 60, 128 * mb, 128 * mb, 9_403_135, 0, {}, booked_after_first=8_399_161,
                ledger_bytes=7.0, ledger_bytes_unbounded=868.0)
    assert flat.ledger_growth == 0 and flat.growth_beyond_ledger == 1.0
    text = render(flat)
    assert "would have added 6,953 MB" in text and "account for" not in text
    # A soak that grew past the target: the bounded rate's share is said, and never more than
    # the growth itself.
    grew = Soak(600, 60, 100 * mb, 150 * mb, 1_000, 0, {}, booked_after_first=1_000_000,
                ledger_bytes=20.0, ledger_bytes_unbounded=800.0)
    text = render(grew)
    assert "account for 19 MB of the 50 MB growth" in text
    assert f"{grew.growth_beyond_ledger:.2f}x the first sample" in text
    leaky = Soak(600, 60, 100 * mb, 150 * mb, 1_000, 0, {}, booked_after_first=10_000_000,
                 ledger_bytes=20.0)
    assert leaky.ledger_growth == 50 * mb and leaky.growth_beyond_ledger == 1.0


def test_a_peer_target_not_met_says_what_it_asks_of_any_python_server() -> None:
    from bench.report import Report
    from bench.throughput import Figures

    def posts(rps: float) -> Figures:
        return Figures(post=[load.LoadResult(int(rps * 10), 10.0, 1, 1, 1, 0)])

    report = Report(smoke=False, duration=10, repeats=1, soak_seconds=600)
    report.figures = {"fakebank": posts(13_000), "ceiling": posts(32_000),
                      "wiremock-lean": posts(26_000), "mountebank": posts(6_000)}
    why = {v.target: v.why for v in report.verdicts() if v.met is False}
    lean = why["stateful POST >= 1x WireMock static, journal off"]
    assert "0.81x the no-work Python ceiling" in lean and "needs 0.81x the ceiling" in lean
    assert "the fake bank does 0.41x" in lean
    bank = why["stateful POST >= 3x mountebank default"]
    assert "3x it needs 0.56x the ceiling" in bank
    report.figures["wiremock-lean"] = posts(36_000)  # faster than the ceiling
    beyond = {v.target: v.why for v in report.verdicts() if v.met is False}
    assert "no Python server on uvicorn doing any work can" in \
        beyond["stateful POST >= 1x WireMock static, journal off"]


def test_a_post_target_not_met_says_what_cpu_it_leaves_against_the_work_floor() -> None:
    """The levers section measures the work floor (the bank's server with the work taken out,
    plus its app doing the work); a POST target not met says how much server CPU per POST it
    leaves, and whether that is below the floor (then no server on uvicorn can meet it)."""
    from bench.levers import NO_WORK, OURS, SERVED, Levers, ServerCost, render, work_floor
    from bench.report import Report
    from bench.throughput import Figures

    def posts(rps: float) -> Figures:
        return Figures(post=[load.LoadResult(int(rps * 10), 10.0, 1, 1, 1, 0)])

    report = Report(smoke=False, duration=10, repeats=1, soak_seconds=600)
    report.figures = {"fakebank": posts(15_000), "ceiling": posts(32_000),
                      "wiremock-lean": posts(26_000), "mountebank": posts(6_000)}
    assert work_floor(None) is None
    report.levers = Levers(app_us={SERVED: [34.0, 35.0, 36.0]},
                           server={OURS: [ServerCost(15_000, 60.0, 0)] * 3,
                                   NO_WORK: [ServerCost(50_000, 17.0, 0)] * 3})
    assert work_floor(report.levers) == 17.0 + 35.0
    why = {v.target: v.why for v in report.verdicts() if v.met is False}
    # 2.5x mountebank at 60 us: 3x leaves 60 * 2.5 / 3 = 50 us, under the floor of 52
    assert ("leaves 50 us per POST where the fake bank spends 60 and the work floor is 52 "
            "(below the work floor: not even the server's two parts, each measured alone, "
            "fit in it)"
            in why["stateful POST >= 3x mountebank default"])
    report.levers.server[OURS] = [ServerCost(15_000, 66.0, 0)] * 3  # 55 us left: a gap
    gap = {v.target: v.why for v in report.verdicts() if v.met is False}
    assert "(3 us above the work floor)" in gap["stateful POST >= 3x mountebank default"]
    assert "The work floor: 52 us per POST" in render(report.levers)
