"""``drawbridge mutate``'s work: the profile clean, then once per operator where it applies,
and a verdict per mutant.

A mutant is **killed** when a MUST scenario fails, **caught late** when only SHOULD scenarios
fail, **survived** otherwise. An operator that changes no byte of any scenario's clean traffic
makes no mutant: it is **not applicable**, left out of the score and listed apart, and the count
of operators that did apply is reported so a gate can hold a profile to it (a library that
drops the one scenario an operator needed must not raise its score). A control that does not
survive is a bug of the proxy, reported as such.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from fake_core_bank.errors import InputError
from harness.certify.profiles import Profile
from harness.drivers.base import DriverFactory
from harness.engine.runner import RunOptions
from harness.engine.session import plan
from harness.evidence import Identity, RunResult
from harness.mutate.operators.base import Operator
from harness.mutate.pool import NOT_A_KILL, Pair, run_pairs
from harness.mutate.wire import Exchange
from harness.redaction import redact_text
from harness.scenarios.model import Scenario

KILLED, CAUGHT_LATE, SURVIVED = "killed", "caught late", "survived"
NOT_APPLICABLE = "not applicable"  # no scenario's clean traffic gives the operator a byte to change
PROXY_FAILED = "proxy error"  # the operator raised, or the harness broke: no verdict on the library


@dataclass(frozen=True)
class Kill:
    scenario: str
    version: str
    level: str
    oracle: str
    finding: str  # the first line of the first finding


@dataclass
class Mutant:
    operator: Operator
    applicable: list[str] = field(default_factory=list)  # scenario@version it was run on
    results: list[RunResult] = field(default_factory=list)
    verdict: str = SURVIVED
    kill: Kill | None = None

    @property
    def errors(self) -> list[str]:
        return [f"{r.key}: {r.error}" for r in self.results
                if r.findings and r.findings[0].oracle in NOT_A_KILL]

    @property
    def proxy_bug(self) -> bool:
        return self.verdict == PROXY_FAILED or (
            self.operator.control and self.verdict not in (SURVIVED, NOT_APPLICABLE))


@dataclass(frozen=True)
class MutationRun:
    profile: Profile
    identity: Identity
    seed: int
    clean: list[RunResult]
    mutants: list[Mutant]

    @property
    def operators(self) -> list[Mutant]:
        """The non-control operators, applicable or not."""
        return [m for m in self.mutants if not m.operator.control]

    @property
    def not_applicable(self) -> list[Mutant]:
        return [m for m in self.operators if m.verdict == NOT_APPLICABLE]

    @property
    def scored(self) -> list[Mutant]:
        """The mutants the score counts: non-control operators that changed some traffic."""
        return [m for m in self.operators if m.verdict != NOT_APPLICABLE]

    @property
    def killed(self) -> int:
        return sum(m.verdict == KILLED for m in self.scored)

    @property
    def score(self) -> float:
        return self.killed / len(self.scored) if self.scored else 1.0


def exchanges(result: RunResult) -> list[Exchange]:
    return [Exchange.from_journal(e) for e in result.journal if e.get("kind") == "exchange"]


def mutate_profile(profile: Profile, library: Sequence[Scenario], operators: Sequence[Operator],
                   make_driver: DriverFactory, identity: Identity, options: RunOptions, *,
                   jobs: int = 1, progress: Callable[[str], None] | None = None,
                   ) -> MutationRun:
    """Run the profile clean (raises InputError naming failures), then every mutant."""
    wanted = set(profile.must) | set(profile.should)
    items = plan([s for s in library if s.id in wanted], (profile.version,))
    say = progress or (lambda _text: None)
    say(f"clean run: {len(items)} scenario runs")
    clean = run_pairs([(None, item) for item in items], make_driver, identity, options,
                      jobs=jobs)
    failing = [r for r in clean if not r.passed]
    if failing:
        named = ", ".join(f"{r.key} ({_first_line(r)})" for r in failing)
        raise InputError("clean run", f"{len(failing)} scenario run(s) fail with no mutant on "
                         f"the wire: {named}", "mutate measures a library with a correct "
                         "connector: fix the connector (drawbridge certify shows why) or the "
                         "profile first")
    traffic = {r.key: exchanges(r) for r in clean}
    mutants = [Mutant(op) for op in operators]
    pairs: list[Pair] = []
    for mutant in mutants:
        for item in items:
            key = f"{item.scenario.id}@{item.version}"
            if mutant.operator.applicable(traffic[key]):
                mutant.applicable.append(key)
                pairs.append((mutant.operator, item))
    say(f"mutants: {len(mutants)} operators, {len(pairs)} scenario runs")
    by_operator = {m.operator.id: m for m in mutants}
    for (operator, _item), result in zip(pairs, run_pairs(pairs, make_driver, identity, options,
                                                          jobs=jobs), strict=True):
        assert operator is not None
        by_operator[operator.id].results.append(result)
    for mutant in mutants:
        _judge(mutant, profile)
    return MutationRun(profile, identity, options.seed, clean, mutants)


def _judge(mutant: Mutant, profile: Profile) -> None:
    if not mutant.applicable:
        mutant.verdict = NOT_APPLICABLE
        return
    if mutant.errors:
        mutant.verdict = PROXY_FAILED
        return
    failed = [r for r in mutant.results if not r.passed]
    for level, verdict in (("must", KILLED), ("should", CAUGHT_LATE)):
        at_level = [r for r in failed if profile.level(r.scenario_id) == level]
        if at_level:
            first = at_level[0]
            oracle = first.findings[0].oracle if first.findings else "harness-error"
            mutant.verdict = verdict
            mutant.kill = Kill(first.scenario_id, first.version, level, oracle,
                               _first_line(first))
            return
    mutant.verdict = SURVIVED


def _first_line(result: RunResult) -> str:
    text = result.findings[0].message if result.findings else (result.error or result.verdict)
    return redact_text(text.splitlines()[0] if text else "")
