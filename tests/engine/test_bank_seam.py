"""Issue 17, one bank-control seam: every bank kind is :class:`Bank` (the helpers, once) over a
transport, the in-process transport and the control API run one command table, and the engine
reads the journal from a cursor instead of whole, twice per operation."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from engine_helpers import REFERENCE, scenarios

from fake_core_bank.domain.model import Refusal
from fake_core_bank.fake import BankConfig, FakeBank
from fake_core_bank.http.commands import COMMANDS, ControlRequestError
from harness.drivers import driver_factory
from harness.engine.bank import (
    Bank,
    ControlError,
    InProcess,
    JournalCursor,
    LocalBank,
    RemoteBank,
)
from harness.engine.containers import ContainerStartError, FakeCoreBankContainer, NotStarted
from harness.engine.runner import RunOptions, run_scenario
from harness.mutate.bank import MutantBank
from harness.playback.bank import ResponsesBank
from harness.pytest_bank import PluginBank

KINDS = (LocalBank, RemoteBank, ResponsesBank, PluginBank, MutantBank, FakeCoreBankContainer)
#: what a bank is beyond its commands: its URLs and its lifecycle
NOT_COMMANDS = {"run_url", "close"}
#: helpers a kind extends (calling Bank's): the mutating proxy forgets its run on a reset
EXTENDED = {(MutantBank, "reset")}


def helpers(cls: type[Any]) -> set[str]:
    return {name for name, _ in inspect.getmembers(cls, inspect.isfunction)
            if not name.startswith("_")}


def test_every_command_has_one_helper_and_every_helper_is_a_command() -> None:
    assert helpers(Bank) - NOT_COMMANDS == set(COMMANDS)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.__name__)
def test_every_bank_kind_is_a_bank_that_writes_no_helper_again(kind: type[Bank]) -> None:
    assert issubclass(kind, Bank)
    own = {(cls, name) for cls in kind.__mro__[:kind.__mro__.index(Bank)]
           for name in vars(cls) if name in COMMANDS}
    assert own <= EXTENDED, f"{kind.__name__} writes a control helper again: {own}"


@pytest.mark.parametrize("kind", [LocalBank, ResponsesBank, PluginBank, MutantBank],
                         ids=lambda k: k.__name__)
def test_every_in_process_kind_is_built_by_bank_s_constructor(kind: type[Bank]) -> None:
    bank = kind(BankConfig(seed=1, customers=1))  # type: ignore[call-arg]
    try:
        assert isinstance(bank.transport, InProcess)
        assert bank.run_url().startswith(bank.base_url + "/_run/")
        assert bank.snapshot()["customers"][0]["customerId"] == "ENT000001"
    finally:
        bank.close()


@pytest.fixture
def pair() -> Iterator[tuple[Bank, Bank]]:
    """Two identical banks: one driven in process, one through its control API."""
    local, served = LocalBank(BankConfig(seed=4, customers=2)), LocalBank(
        BankConfig(seed=4, customers=2))
    remote = RemoteBank(served.base_url)
    try:
        yield local, remote
    finally:
        remote.close()
        local.close()
        served.close()


def drive(bank: Bank) -> list[Any]:
    """Every kind of command, with what each answers."""
    start = bank.now()
    answers: list[Any] = [start]
    bank.reset(BankConfig(seed=9, customers=2, start=start + timedelta(days=1)))
    answers += [bank.now(), bank.health()["versions"]]
    bank.set_clock(bank.now() + timedelta(hours=1))
    bank.advance_clock(timedelta(minutes=5))
    bank.set_line_status("CL000001", "LOCKED", bank.now() + timedelta(days=30), "audit")
    bank.set_line_status("CL000001", "ACTIVE")
    answers.append(bank.schedule_maintenance(bank.now(), bank.now() + timedelta(hours=1),
                                             "READ_ONLY"))
    answers.append(bank.inject_fault("error", "getCreditLine", None, "CL000002", 2, 503, 0.0))
    bank.clear_faults()
    bank.put_policy({"id": "P1", "region": "*", "effective": bank.now().isoformat(),
                     "maxDrawdown": 100_00})
    bank.remove_policy("P1")
    answers.append(bank.external_drawdown("CL000002", 50_00))
    answers.append(bank.settle_pending())
    bank.serve_versions(("v2",))
    bank.upgrade("v3", retire=("v2",), sunset=bank.now() + timedelta(days=7))
    bank.rollback("v2")
    bank.rolling_upgrade("v2", "v3", 0.5, seed=3)
    bank.complete_rollout()
    bank.begin_operation("pay")
    bank.end_operation()
    state = bank.snapshot()
    bank.load_state(state)
    answers += [bank.snapshot(), bank.journal(), bank.journal(since=5)]
    return answers


def test_in_process_and_over_the_control_api_a_bank_answers_and_journals_alike(
        pair: tuple[Bank, Bank]) -> None:
    local, remote = pair
    assert drive(local) == drive(remote)


def test_a_refusal_and_a_bad_body_say_the_same_words_either_way(
        pair: tuple[Bank, Bank]) -> None:
    local, remote = pair
    with pytest.raises(Refusal) as refused:
        local.set_line_status("CL999999", "FROZEN")
    with pytest.raises(ControlError, match=f"404 .*{re.escape(str(refused.value))}"):
        remote.set_line_status("CL999999", "FROZEN")
    with pytest.raises(ControlRequestError) as bad:
        local.set_line_status("CL000001", "NOPE")
    assert "status: 'NOPE' is not allowed; valid: ACTIVE" in str(bad.value)
    with pytest.raises(ControlError, match=r"400 .*bad control request: status: 'NOPE'"):
        remote.set_line_status("CL000001", "NOPE")
    # refused before anything changed, in both
    assert local.snapshot()["lines"] == remote.snapshot()["lines"]


def test_a_container_not_started_says_to_start_it() -> None:
    bank = Bank(NotStarted("drawbridge-fake-bank:ci"), "")
    with pytest.raises(ContainerStartError, match="not running; call start\\(\\) first"):
        bank.now()
    with pytest.raises(ContainerStartError):
        bank.journal()


class Counting(InProcess):
    """The in-process transport, counting the journal entries it parses."""

    def __init__(self, bank: FakeBank) -> None:
        super().__init__(bank)
        self.reads: list[int] = []
        self.parsed = 0

    def journal(self, since: int) -> list[dict[str, Any]]:
        entries = super().journal(since)
        self.reads.append(since)
        self.parsed += len(entries)
        return entries


def test_the_cursor_reads_only_what_is_new() -> None:
    transport = Counting(FakeBank(BankConfig(seed=1, customers=1)))
    bank = Bank(transport, "http://unused.invalid")
    cursor = JournalCursor(bank)
    bank.begin_operation("a")
    assert [e["note"] for e in cursor.read()] == ["operation-begin"]
    assert cursor.read() == []
    bank.end_operation()
    bank.settle_pending()
    assert [e["note"] for e in cursor.read()] == ["operation-end", "settle"]
    assert transport.reads == [0, 1, 1]
    assert cursor.entries == bank.journal()


def test_a_scenario_run_parses_each_journal_entry_once() -> None:
    bank = ResponsesBank()
    counting = Counting(bank.bank)
    bank.transport = counting
    make_driver, identity = driver_factory(REFERENCE)
    try:
        (scenario,) = scenarios(["lock-period-case-study"])
        result = run_scenario(scenario, "v2", bank, make_driver, identity, RunOptions())
    finally:
        bank.close()
    assert result.verdict == "pass", result.findings
    operations = len(result.operations)
    assert operations >= 2
    assert len(counting.reads) == 2 * operations + 1  # before and after each, and at the end
    assert counting.parsed == len(result.journal)  # before: twice the journal per operation
    assert [e["seq"] for e in result.journal] == list(range(1, len(result.journal) + 1))


def test_every_control_body_schema_belongs_to_a_command() -> None:
    from fake_core_bank.http.control_schema import SCHEMAS

    routes = {(command.method, command.path) for command in COMMANDS.values()}
    assert set(SCHEMAS) - routes == set(), "a schema no command checks its body against"
