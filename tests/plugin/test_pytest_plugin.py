"""The pytest plugin as a user runs it: scenarios as items, in parallel, failures explained."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = "python:examples.connectors.reference_py:ReferenceConnector"
LEGACY = "python:examples.connectors.legacy_v1:LegacyV1Connector"

pytestmark = pytest.mark.slow


@pytest.fixture
def run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PYTHONPATH", str(ROOT))

    def go(*args: str) -> pytest.RunResult:
        return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly",
                                             *args)

    return go


def test_scenarios_run_as_items_in_parallel_workers(run) -> None:  # type: ignore[no-untyped-def]
    result = run(str(ROOT / "scenarios" / "line-state"), "--drawbridge-connector", REFERENCE,
                 "--drawbridge-versions", "v2", "-n", "2", "-v")
    result.assert_outcomes(passed=7)  # the line-state scenarios that apply at v2
    result.stdout.fnmatch_lines(["*PASSED*lock-period-case-study?v2?*"])
    assert "[gw0]" in result.stdout.str() and "[gw1]" in result.stdout.str()


def test_a_failing_scenario_item_shows_findings_and_reproduction(run) -> None:  # type: ignore[no-untyped-def]
    scenario = ROOT / "scenarios" / "line-state" / "lock-period-case-study.yaml"
    result = run(str(scenario), "--drawbridge-connector", LEGACY, "--drawbridge-versions", "v2")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*[[]reason-propagation[]] during-lock: the bank's reason did not reach the caller*",
        "*reproduce: drawbridge run*lock-period-case-study.yaml*--versions v2*",
    ])


def test_fixtures_give_a_reset_bank_and_its_clock(pytester: pytest.Pytester,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makepyfile(test_user="""
        from datetime import timedelta
        import httpx

        def test_bank(drawbridge_bank, drawbridge_clock):
            before = drawbridge_clock.now()
            drawbridge_clock.advance(timedelta(days=3))
            assert drawbridge_clock.now() - before == timedelta(days=3)
            drawbridge_bank.set_line_status("CL000001", "FROZEN")
            answer = httpx.post(drawbridge_bank.base_url + "/v2/credit-lines/CL000001/drawdowns",
                                json={"amount": 100, "currency": "CNY",
                                      "beneficiaryAccount": "6222000011112222"},
                                headers={"Idempotency-Key": "k1"})
            assert answer.json()["reasonCode"] == "LINE_FROZEN"

        def test_reset_between_tests(drawbridge_bank):
            line = httpx.get(drawbridge_bank.base_url + "/v2/credit-lines/CL000001").json()
            assert line["status"] == "ACTIVE"
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_run_in_responses_mode_gives_the_loopback_verdicts(tmp_path: Path) -> None:
    """`drawbridge run --transport responses`: same verdicts, no sockets for the bank."""
    import json
    import subprocess
    import sys

    scenario = ROOT / "scenarios" / "line-state" / "lock-period-case-study.yaml"
    verdicts = {}
    for transport in ("loopback", "responses"):
        out = tmp_path / transport
        done = subprocess.run(
            [sys.executable, "-m", "harness.cli.main", "run", str(scenario), "--connector",
             LEGACY, "--versions", "v2", "--transport", transport, "--out", str(out),
             "--no-progress"], cwd=ROOT, capture_output=True, text=True, timeout=120,
            check=False)
        assert done.returncode == 1, done.stderr
        results = json.loads((out / "results.json").read_text())["results"]
        verdicts[transport] = [(r["scenario"], r["verdict"],
                                sorted({f["oracle"] for f in r["findings"]})) for r in results]
    assert verdicts["loopback"] == verdicts["responses"]


def test_one_connector_service_is_refused_for_parallel_workers(run) -> None:  # type: ignore[no-untyped-def]
    result = run(str(ROOT / "scenarios" / "line-state"), "--drawbridge-connector",
                 "http://127.0.0.1:9", "-n", "2")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--drawbridge-connector http://127.0.0.1:9: one connector "
                                 "service cannot serve 2 xdist workers at once*"])


def test_operation_lets_a_direct_call_wait_out_maintenance_and_account_helper(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    # Issue 16.5: without begin/end the clock stood still and the connector waited 31 s for
    # a window that never ended; `operation()` runs the clock for the length of the call.
    # The clock runs at 3600x from the operation's start, so a window of W virtual hours is
    # W wall seconds: the first attempt must reach the bank within them to be refused. A
    # 30-minute window (half a second) was missed on a loaded machine; three hours leave the
    # connector three seconds to get there, and the test waits out the rest of the window.
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makepyfile(test_user="""
        from datetime import timedelta
        import pytest
        from examples.connectors.reference_py import ReferenceConnector

        def test_drawdown_waits_out_a_window(drawbridge_bank, drawbridge_clock):
            account = drawbridge_bank.customer_account()
            assert account.customer_id == "ENT000001" and account.line == "CL000001"
            assert account.account_no.isdigit()
            start = drawbridge_clock.now()
            drawbridge_bank.schedule_maintenance(start, start + timedelta(hours=3), "FULL")
            connector = ReferenceConnector(drawbridge_bank.base_url, version="v2")
            with drawbridge_bank.operation("pay-supplier"):
                outcome = connector.draw_down(account.line, 100_00, "CNY",
                                              account=account.account_no, purpose="WC01",
                                              intent="pay-supplier")
            assert outcome["outcome"] == "succeeded", outcome
            assert drawbridge_clock.now() >= start + timedelta(hours=3)
            tagged = [e for e in drawbridge_bank.journal()
                      if e.get("kind") == "exchange" and e.get("operation") == "pay-supplier"]
            assert len(tagged) >= 2  # the refused attempt and the one after the window

        def test_an_unknown_customer_lists_the_known_ones(drawbridge_bank):
            with pytest.raises(ValueError, match="unknown customer 'ENT999'.*ENT000001"):
                drawbridge_bank.customer_account("ENT999")
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_the_plugin_doc_names_every_helper_of_the_fixture_bank() -> None:
    from harness.pytest_bank import PluginBank

    doc = (ROOT / "docs" / "pytest-plugin.md").read_text(encoding="utf-8")
    helpers = [name for name in dir(PluginBank)
               if not name.startswith("_") and callable(getattr(PluginBank, name))]
    assert [name for name in helpers if f"`{name}(" not in doc] == []


def test_connector_path_imports_from_a_folder_and_reaches_the_reproduce_line(
        pytester: pytest.Pytester, tmp_path: Path) -> None:
    folder = tmp_path / "conn"
    folder.mkdir()
    (folder / "acme_legacy.py").write_bytes(
        (ROOT / "examples" / "connectors" / "legacy_v1" / "connector.py").read_bytes())
    scenario = ROOT / "scenarios" / "line-state" / "lock-period-case-study.yaml"
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", str(scenario), "--drawbridge-connector",
        "python:acme_legacy:LegacyV1Connector", "--drawbridge-connector-path", str(folder),
        "--drawbridge-versions", "v2")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([f"*reproduce: drawbridge run*--connector-path '{folder}'*"])


RENAMED_CORE = """
from fake_core_bank.cores import CoreModel
from fake_core_bank.http.adapters.v2 import V2
from fake_core_bank.http.adapters.v3 import V3
from fake_core_bank.lending import core as lending


class R1(V2):
    version = "r1"


class R2(V3):
    version = "r2"


core = CoreModel(name="renamed", versions=("r1", "r2"),
                 contracts={"r1": lending.contracts["v2"], "r2": lending.contracts["v3"]},
                 adapters={"r1": R1(), "r2": R2()}, library_versions={"v2": "r1", "v3": "r2"})
"""


def test_library_scenarios_not_for_the_core_are_not_collected(run, pytester: pytest.Pytester,  # type: ignore[no-untyped-def]
                                                              ) -> None:
    pytester.makepyfile(renamed_core=RENAMED_CORE)
    result = run(str(ROOT / "scenarios" / "integration"), "--drawbridge-connector", REFERENCE,
                 "--drawbridge-core", "renamed_core:core", "--drawbridge-versions", "r1,r2",
                 "--collect-only", "-q")
    out = result.stdout.str()
    assert "rolling-upgrade-v2-v3[r1]" in out and "rolling-upgrade-v2-v3[r2]" in out, out
    assert "upgrade-retires-v1" not in out and result.ret == 0, out  # not collected, no error
