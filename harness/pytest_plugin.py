"""The Drawbridge pytest plugin (entry point ``pytest11``).

Scenarios as pytest items: ``pytest scenarios/ --drawbridge-connector SPEC`` collects every
scenario file as one item per applicable core version and runs it against the connector; a
failure is reported with the oracles' findings and the command that reproduces it. It works with
pytest-xdist (``-n auto``): each worker process owns one fake bank.

Fixtures:
- ``drawbridge_bank``: a fake core bank on loopback (one per session or xdist worker), reset
  before each test, a :class:`harness.pytest_bank.PluginBank`: the control helpers of
  :class:`harness.engine.bank.LocalBank`, ``operation()`` around a direct connector call (the
  clock runs only inside it) and ``customer_account()``; at teardown, a response of the fake
  that broke its own contract fails the test (docs/pytest-plugin.md);
- ``drawbridge_clock``: the bank's virtual clock (``now``, ``set``, ``advance``);
- ``drawbridge_run``: ``drawbridge_run(scenario_path, connector_spec, version)`` ->
  :class:`harness.evidence.RunResult`.

All options live in the ``drawbridge`` group with the ``--drawbridge-`` prefix; heavy imports
happen when a fixture or item first needs them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from harness.drivers.base import DriverFactory
    from harness.evidence import Identity, RunResult
    from harness.pytest_bank import PluginBank
    from harness.scenarios.model import Scenario

SCENARIO_MARK = b"drawbridge/scenario@1"
_BANK = pytest.StashKey["PluginBank"]()
_DRIVERS = pytest.StashKey[dict[str, "tuple[DriverFactory, Identity]"]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("drawbridge", "Drawbridge integration compatibility harness")
    group.addoption("--drawbridge-connector", default=None, metavar="SPEC",
                    help="Collect scenario YAML files as tests and run them against SPEC.")
    group.addoption("--drawbridge-connector-path", default=None, metavar="DIR",
                    help="Import python: connectors from DIR (default: the current "
                         "directory); carried into reproduce commands.")
    group.addoption("--drawbridge-versions", default=None, metavar="V,V",
                    help="Core versions to run scenarios at (default: the connector's).")
    group.addoption("--drawbridge-core", default=None, metavar="MODULE:ATTR",
                    help="Core model the fake bank speaks (default: the built-in lending core; "
                         "docs/core-models.md).")
    group.addoption("--drawbridge-seed", type=int, default=0, help="Seed (default 0).")
    group.addoption("--drawbridge-time-scale", type=float, default=None,
                    help="Virtual seconds per wall second during operations.")


def _bank(config: pytest.Config) -> PluginBank:
    if _BANK not in config.stash:
        from harness.pytest_bank import PluginBank

        config.stash[_BANK] = PluginBank()
    return config.stash[_BANK]


def _driver(config: pytest.Config, spec: str) -> tuple[DriverFactory, Identity]:
    cache = config.stash.setdefault(_DRIVERS, {})
    if spec not in cache:
        from harness.drivers import driver_factory

        cache[spec] = driver_factory(spec, config.getoption("--drawbridge-connector-path"))
    return cache[spec]


def pytest_unconfigure(config: pytest.Config) -> None:
    bank = config.stash.get(_BANK, None)
    if bank is not None:
        bank.close()


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if parent.config.getoption("--drawbridge-connector") is None:
        return None
    if file_path.suffix not in (".yaml", ".yml"):
        return None
    with file_path.open("rb") as fh:
        if SCENARIO_MARK not in fh.read(4096):
            return None
    collector: ScenarioFile = ScenarioFile.from_parent(parent, path=file_path)
    return collector


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        from fake_core_bank import cores
        from harness.cli.serve import parse_versions
        from harness.scenarios.loader import load_scenario
        from harness.scenarios.translate import NotForThisCore

        try:
            scenario = load_scenario(self.path)
        except NotForThisCore:
            return  # a library scenario that does not apply to the active core: no items
        spec = self.config.getoption("--drawbridge-connector")
        chosen = self.config.getoption("--drawbridge-versions")
        if chosen:
            versions = parse_versions(chosen, "--drawbridge-versions")
        else:
            _, identity = _driver(self.config, spec)
            known = cores.active().versions
            versions = tuple(v for v in known if v in identity.contracts) or known
        for version in versions:
            if version in scenario.versions:
                yield ScenarioItem.from_parent(self, name=f"{scenario.id}[{version}]",
                                               scenario=scenario, version=version)


class ScenarioFailed(AssertionError):  # noqa: N818 -- reported natively by pytest
    def __init__(self, result: RunResult, spec: str) -> None:
        self.result = result
        lines = [f"{result.key}: {result.verdict}"]
        lines += [str(f) for f in result.findings]
        lines.append(f"reproduce: {result.reproduce_command(spec)}")
        super().__init__("\n".join(lines))


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: Scenario, version: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.version = version
        self.add_marker(pytest.mark.drawbridge_scenario(cause=scenario.cause))

    def runtest(self) -> None:
        from harness.engine.runner import RunOptions, run_scenario

        config = self.config
        spec = config.getoption("--drawbridge-connector")
        make_driver, identity = _driver(config, spec)
        options = RunOptions(seed=config.getoption("--drawbridge-seed"),
                             time_scale=config.getoption("--drawbridge-time-scale"))
        result = run_scenario(self.scenario, self.version, _bank(config), make_driver,
                              identity, options)
        if not result.passed:
            raise ScenarioFailed(result, spec)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailed):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = self.scenario.source.line - 1 if self.scenario.source else None
        return self.path, line, f"scenario {self.name}"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "drawbridge_scenario(cause): a Drawbridge scenario item")
    core = config.getoption("--drawbridge-core", default=None)
    if core:
        from fake_core_bank import cores
        from fake_core_bank.errors import InputError

        try:
            cores.activate(cores.load(core))
        except InputError as exc:
            raise pytest.UsageError(f"--drawbridge-core: {exc}") from exc
    spec = config.getoption("--drawbridge-connector", default=None) or ""
    workers = getattr(config.option, "numprocesses", None)
    from harness.drivers.spec import SERVICE_KINDS

    if (spec.partition(":")[0] in SERVICE_KINDS and workers not in (None, 0, 1)
            and not hasattr(config, "workerinput")):
        # One service holds one connector; xdist workers are processes, so they cannot take
        # turns on it and would reconfigure it under each other's scenarios.
        raise pytest.UsageError(
            f"--drawbridge-connector {spec}: one connector service cannot serve {workers} "
            "xdist workers at once; run it without -n (or -n 1), or give each worker its own "
            "service (a connector image: container:IMAGE)")


@pytest.fixture
def drawbridge_bank(request: pytest.FixtureRequest) -> Iterator[PluginBank]:
    """A fake core bank, freshly reset, with its control helpers (see LocalBank)."""
    from fake_core_bank.fake import BankConfig

    bank = _bank(request.config)
    bank.reset(BankConfig(seed=int(request.config.getoption("--drawbridge-seed")),
                          customers=3))
    yield bank
    broken = [e for e in bank.journal() if e.get("response_violations")]
    if broken:
        first = broken[0]
        pytest.fail(f"the fake bank answered against its contract: {first['method']} "
                    f"{first['path']} -> {first['status']}: {first['response_violations']}")


class VirtualClock:
    """The bank's virtual clock as a test sees it."""

    def __init__(self, bank: PluginBank) -> None:
        self._bank = bank

    def now(self) -> datetime:
        return self._bank.now()

    def set(self, when: datetime) -> None:
        self._bank.set_clock(when)

    def advance(self, by: timedelta) -> None:
        self._bank.advance_clock(by)


@pytest.fixture
def drawbridge_clock(drawbridge_bank: PluginBank) -> VirtualClock:
    """The virtual clock of ``drawbridge_bank``."""
    return VirtualClock(drawbridge_bank)


@pytest.fixture
def drawbridge_run(request: pytest.FixtureRequest) -> Callable[..., RunResult]:
    """Run one scenario file against a connector: ``drawbridge_run(path, spec, "v2")``."""
    from harness.engine.runner import RunOptions, run_scenario
    from harness.scenarios.loader import load_scenario

    def run(scenario: Path | str, connector: str, version: str = "v2",
            seed: int = 0) -> RunResult:
        make_driver, identity = _driver(request.config, connector)
        return run_scenario(load_scenario(scenario), version, _bank(request.config),
                            make_driver, identity, RunOptions(seed=seed))

    return run
