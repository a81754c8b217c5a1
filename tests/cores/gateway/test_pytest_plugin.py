"""The gateway core through the pytest plugin: its scenarios as items (`--drawbridge-core`), and
the fixture bank speaking its envelope."""

from __future__ import annotations

import pytest

from tests.cores.gateway.gateway_kit import LEGACY, REFERENCE, ROOT, SPEC

pytestmark = pytest.mark.slow

SCENARIOS = ROOT / "examples" / "cores" / "gateway_lending" / "scenarios"


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly",
                                         "--drawbridge-core", SPEC, *args)


def test_its_scenarios_run_as_items_and_a_failure_says_how_to_reproduce(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    passing = run(pytester, str(SCENARIOS / "refusal-inside-200.yaml"), "--drawbridge-connector",
                  REFERENCE, "-v")
    passing.assert_outcomes(passed=2)
    passing.stdout.fnmatch_lines(["*gw-refusal-inside-200?r1? PASSED*"])
    failing = run(pytester, str(SCENARIOS / "drawdown-service-upgrade.yaml"),
                  "--drawbridge-connector", LEGACY)
    failing.assert_outcomes(failed=1)
    failing.stdout.fnmatch_lines([
        "*[[]expected-outcome[]] after-retirement: expected succeeded*",
        f"*reproduce: drawbridge run*drawdown-service-upgrade.yaml --core {SPEC}*--versions r1*"])


def test_the_fixture_bank_speaks_the_gateway_envelope(pytester: pytest.Pytester,
                                                      monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makepyfile(test_user="""
        from examples.cores.gateway_lending.connectors.reference import ReferenceConnector

        def test_a_frozen_line_is_refused_inside_http_200(drawbridge_bank):
            account = drawbridge_bank.customer_account()
            drawbridge_bank.set_line_status(account.line, "FROZEN")
            connector = ReferenceConnector(drawbridge_bank.base_url, version="r2")
            with drawbridge_bank.operation("pay-supplier"):
                outcome = connector.draw_down(account.line, 100_00, "CNY",
                                              account=account.account_no, purpose="WC01",
                                              intent="pay-supplier")
            assert outcome["outcome"] == "rejected" and outcome["reason"] == "LINE_FROZEN"
            drawdown = [e for e in drawbridge_bank.journal()
                        if e.get("operation_id") == "createDrawdown"][-1]
            assert drawdown["status"] == 200
            assert drawdown["response_body"]["sysHead"]["ret"][0]["retCode"] == "LN1001"
            assert drawdown["request_body"]["sysHead"]["signature"] == "[masked]"
    """)
    result = run(pytester)
    result.assert_outcomes(passed=1)
