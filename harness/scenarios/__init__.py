"""Scenario files (drawbridge/scenario@1): typed model, line-aware loader, library, dumper.

>>> from harness.scenarios import load_scenario, load_library, dump_scenario  # doctest: +SKIP

See docs/scenario-format.md for the format and scenarios/schema/scenario-1.schema.json for
its JSON Schema.
"""

from harness.scenarios.dump import dump_scenario
from harness.scenarios.library import load_library
from harness.scenarios.loader import load_scenario
from harness.scenarios.model import (
    BankKnobs,
    Customer,
    Event,
    FaultMatch,
    FrozenMap,
    Given,
    Line,
    Operation,
    Policy,
    Precondition,
    Scenario,
    ScenarioExpect,
    SourceRef,
    Step,
    StepExpect,
)
from harness.scenarios.money import Money

__all__ = [
    "BankKnobs",
    "Customer",
    "Event",
    "FaultMatch",
    "FrozenMap",
    "Given",
    "Line",
    "Money",
    "Operation",
    "Policy",
    "Precondition",
    "Scenario",
    "ScenarioExpect",
    "SourceRef",
    "Step",
    "StepExpect",
    "dump_scenario",
    "load_library",
    "load_scenario",
]
