"""Findings name the mechanism, not only the effect (issue 13 part 4, issue 16 item 3).

Each message is pinned on a connector with one planted defect: the Idempotency-Key of every
attempt, v3's unpolled 202, the expected and the observed outcome side by side, v1's wire code
beside the harness's reason, amounts in yuan with the minor units beside; and the same words
reach the certificate's gate lines, summary.md and junit.xml.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import planted_defects as d
from engine_helpers import LEGACY, SCENARIOS, explain, run, run_class

from harness.certify.document import build_certificate
from harness.drivers import driver_factory
from harness.engine.runner import RunOptions
from harness.engine.session import plan, run_plan
from harness.evidence import Finding, RunResult
from harness.reporting.formats import write_reports
from harness.scenarios.library import load_library
from harness.scenarios.model import Scenario

LOCK_EXPECTED = ("during-lock: expected rejected LINE_LOCKED until 2026-03-16T00:00:00+08:00, "
                 "observed rejected LINE_FROZEN (bank answered 409 E1003 via v1, which the "
                 "harness reads as LINE_LOCKED)")


def lost_answer_at_v1(tmp_path: Path) -> list[Scenario]:
    """The library's lost-response-after-commit, played at v1 (the library keeps it to v2+)."""
    text = (SCENARIOS / "fault" / "lost-response-after-commit.yaml").read_text(encoding="utf-8")
    assert "versions: [v2, v3]" in text
    (tmp_path / "lost-v1.yaml").write_text(text.replace("versions: [v2, v3]", "versions: [v1]"),
                                           encoding="utf-8")
    return load_library([tmp_path])


def findings_of(result: RunResult, oracle: str) -> list[Finding]:
    return [f for f in result.findings if f.oracle == oracle]


def test_a_fresh_key_per_attempt_is_named_with_each_attempts_key() -> None:
    [result] = run_class(d.FreshKeyPerAttempt, ["v3"], ["lost-response-after-commit"])
    [finding] = findings_of(result, "no-double-disbursement")
    assert finding.message == ("business intent 'batch-contract-materials' was disbursed 3 "
                               "times: 3 attempts with 3 different keys"), explain([result])
    assert finding.observed is not None
    attempts = finding.observed.split("; bookings: ")[0]
    assert attempts.startswith("attempts: #")
    for n in (1, 2, 3):
        assert f"key lost-response-after-commit.batch-contract-materials-{n} -> " in attempts
    assert "-> no answer (lost-response" in attempts
    assert "100000.00 CNY (10000000 minor units)" in finding.observed


def test_a_retry_without_a_key_is_named(tmp_path: Path) -> None:
    """The legacy v1 connector retries a lost answer without any key (and the batch job reruns
    the intent): v1 books every attempt."""
    make_driver, identity = driver_factory(LEGACY)
    results, _ = run_plan(plan(lost_answer_at_v1(tmp_path), ["v1"]), make_driver, identity,
                          RunOptions())
    [result] = results
    [finding] = findings_of(result, "no-double-disbursement")
    assert finding.message.endswith("was disbursed 3 times: 3 attempts, none with an "
                                    "Idempotency-Key: a retry without a key"), explain([result])
    assert finding.observed is not None
    assert "no key -> no answer (lost-response" in finding.observed
    assert "no key -> 201" in finding.observed


def test_a_key_per_call_is_named_as_a_retry_under_a_new_key() -> None:
    [result] = run_class(d.KeyPerCall, ["v2"], ["lost-response-after-commit"])
    [finding] = findings_of(result, "no-double-disbursement")
    assert finding.message.endswith(": 3 attempts with 2 different keys: the intent was "
                                    "retried under a new key"), explain([result])
    assert finding.observed is not None
    assert "key call-1 -> " in finding.observed and "key call-2 -> 201" in finding.observed


def test_an_unpolled_202_is_named() -> None:
    [result] = run_class(d.SucceedsOnAccept, ["v3"], ["v3-async-drawdown"])
    [finding] = findings_of(result, "truthful-outcome")
    assert finding.message == ("accepted: the bank answered 202 (accepted, PENDING) and the "
                               "connector neither polled the drawdown nor reported pending: it "
                               "reported succeeded"), explain([result])
    assert finding.observed is not None and "no status poll" in finding.observed


def test_expected_and_observed_side_by_side() -> None:
    [result] = run_class(d.GenericError, ["v2"], ["frozen-line"])
    [finding] = findings_of(result, "expected-outcome")
    assert finding.message == ("while-frozen: expected rejected LINE_FROZEN, observed rejected "
                               "UNKNOWN (bank answered 409 LINE_FROZEN via v2)")


def test_v1_findings_quote_the_wire_code() -> None:
    [result] = run(LEGACY, ["v2"], ["lock-period-case-study"])
    [reason] = findings_of(result, "reason-propagation")
    assert reason.observed == ("rejected LINE_FROZEN (bank answered 409 E1003 via v1, which the "
                               "harness reads as LINE_LOCKED)")
    [expected] = findings_of(result, "expected-outcome")
    assert expected.message == LOCK_EXPECTED


def test_amounts_read_in_yuan_with_minor_units_beside() -> None:
    [result] = run_class(d.FloatCents, ["v2"], ["amount-precision"])
    finding = next(f for f in findings_of(result, "amount-fidelity") if f.step == "small")
    assert (finding.expected, finding.observed) == (
        "0.57 CNY (57 minor units)", "0.56 CNY (56 minor units) booked as DD00000003")
    [total] = findings_of(result, "ledger-total")
    assert total.expected == "43231.61 CNY (4323161 minor units) disbursed in all"


def test_gate_lines_summary_and_junit_carry_expected_and_observed(tmp_path: Path) -> None:
    results = run(LEGACY, ["v2"], ["lock-period-case-study"])
    results += run_class(d.FloatCents, ["v2"], ["amount-precision"])
    document = build_certificate(results, profile=None, as_of=date(2026, 11, 28), seed=0)
    reasons = document["gate"]["reasons"]
    assert ("MUST lock-period-case-study@v2 fails for legacy-v1@0.9.3: during-lock: the bank's "
            "reason did not reach the caller: expected rejected LINE_LOCKED, observed rejected "
            "LINE_FROZEN (bank answered 409 E1003 via v1, which the harness reads as "
            "LINE_LOCKED)") in reasons
    assert ("MUST amount-precision@v2 fails for planted-defect@0: small: the bank booked another "
            "amount than asked: expected 0.57 CNY (57 minor units), observed 0.56 CNY (56 minor "
            "units) booked as DD00000003") in reasons
    write_reports(document, tmp_path)
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert (r"expected rejected LINE\_LOCKED, observed rejected LINE\_FROZEN (bank answered 409 "
            r"E1003 via v1") in summary
    assert "expected 0.57 CNY (57 minor units), observed 0.56 CNY (56 minor units)" in summary
    messages = [e.get("message") for e in ET.parse(tmp_path / "junit.xml").iter("failure")]
    assert any(m and m.endswith("expected rejected LINE_LOCKED, observed rejected LINE_FROZEN "
                                "(bank answered 409 E1003 via v1, which the harness reads as "
                                "LINE_LOCKED)") for m in messages), messages
    assert any(m and "expected 0.57 CNY (57 minor units), observed 0.56 CNY" in m
               for m in messages), messages


def test_the_mechanism_words_for_every_mix_of_keys() -> None:
    from harness.oracles.no_double_disbursement import LISTED, _attempts, mechanism

    def attempt(seq: int, key: str | None, status: int | None = 201) -> dict[str, Any]:
        return {"seq": seq, "status": status, "fault": None, "key": key}

    def keys(attempts: list[dict[str, Any]]) -> list[str | None]:
        return [a["key"] for a in attempts]

    assert mechanism(["a", None]) == "2 attempts, a retry without a key"
    assert mechanism([None, None]) == \
        "2 attempts, none with an Idempotency-Key: a retry without a key"
    assert mechanism(["a", "b"]) == "2 attempts with 2 different keys"
    many = [attempt(n, f"k{n % 2}") for n in range(LISTED + 5)]
    assert mechanism(keys(many)) == (f"{LISTED + 5} attempts with 2 different keys: the intent "
                                     "was retried under a new key")
    listing = _attempts(many, keys(many))
    assert listing.count(" -> 201") == LISTED and listing.endswith("; and 5 more")
    dropped = [attempt(7, None, None)]
    assert _attempts(dropped, keys(dropped)) == "#7 no key -> no answer (dropped)"


TEXT_CLAUSE = ("the bank's text this time read '业务处理未成功（流水号693144673682）'; its "
               "reasonCode said {code}: a connector that decides by the text, not the code, "
               "gets this wrong")


def test_a_connector_that_decides_by_the_text_is_named() -> None:
    """The fake varied the text; the code said the reason; the connector said another."""
    results = run_class(d.DecidesByText, ["v2", "v3"], ["frozen-line", "lock-period-case-study"])
    for result in results:
        [finding] = findings_of(result, "reason-propagation")
        step, code = (("while-frozen", "LINE_FROZEN") if result.scenario_id == "frozen-line"
                      else ("during-lock", "LINE_LOCKED"))
        assert finding.message == (f"{step}: the bank's reason did not reach the caller: "
                                   + TEXT_CLAUSE.format(code=code)), explain([result])


def test_the_text_clause_only_where_the_code_alone_named_the_reason() -> None:
    from fake_core_bank.lending import core
    from harness.oracles.text_decided import clause as of_evidence

    def entry(version: str, body: dict[str, Any], reason: str | None = None) -> dict[str, Any]:
        return {"version": version, "status": 409, "reason": reason, "response_body": body}

    def clause(entry: dict[str, Any]) -> str | None:
        return of_evidence(core.adapters[entry["version"]].evidence(entry))

    varied = "业务处理未成功（流水号1）"
    assert clause(entry("v2", {"reasonCode": "LINE_FROZEN", "detail": varied},
                        "LINE_FROZEN")) == (
        f"the bank's text this time read '{varied}'; its reasonCode said LINE_FROZEN: a "
        "connector that decides by the text, not the code, gets this wrong")
    # the text the docs show: a keyword rule tuned to the docs reads it right, nothing to name
    assert clause(entry("v2", {"reasonCode": "LINE_FROZEN", "detail": "额度已冻结，暂无法提款"},
                        "LINE_FROZEN")) is None
    # v1's E1003 stands for a freeze and a lock alike: the code did not name the reason
    assert clause(entry("v1", {"code": "E1003", "message": varied}, "LINE_LOCKED")) is None
    # ... but E1005 names an expired line alone
    assert clause(entry("v1", {"code": "E1005", "message": varied}, "LINE_EXPIRED")) == (
        f"the bank's text this time read '{varied}'; its code said E1005: a connector that "
        "decides by the text, not the code, gets this wrong")
    # v3's refusal at settlement, inside a 200: the rejection's own texts
    settled = {"status": "REJECTED", "rejection": {"reasonCode": "LINE_FROZEN", "detail": varied}}
    assert clause({"version": "v3", "status": 200, "response_body": settled}) is not None
    # a code no contract lists (a minor release): no reason to compare the text with
    assert clause(entry("v2", {"reasonCode": "LINE_SUSPENDED_BY_RISK", "detail": varied})) is None
    assert clause(entry("v2", "not json")) is None  # type: ignore[arg-type]


def test_no_text_clause_when_the_code_itself_misled() -> None:
    # The legacy v1 connector reads E1003 as a freeze: the code, not the text, misled it. (The
    # harness cannot see how a connector decided, so the clause is worded as a condition: a
    # connector that reports UNKNOWN for every refusal meets it too, and it holds for it too.)
    [legacy] = run(LEGACY, ["v2"], ["lock-period-case-study"])
    [reason] = findings_of(legacy, "reason-propagation")
    assert reason.message == "during-lock: the bank's reason did not reach the caller"
