"""Scenario files (drawbridge/scenario@1): typed model, line-aware loader, library, dumper.

>>> from harness.scenarios import load_scenario, load_library, dump_scenario  # doctest: +SKIP

See docs/scenario-format.md for the format and scenarios/schema/scenario-1.schema.json for
its JSON Schema.
"""

from harness.scenarios import model
from harness.scenarios.dump import dump_scenario
from harness.scenarios.library import load_library
from harness.scenarios.loader import load_scenario
from harness.scenarios.model import *  # noqa: F403 -- the typed model, listed once in its __all__

__all__ = ["dump_scenario", "load_library", "load_scenario"]
__all__ += model.__all__
