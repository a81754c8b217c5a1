"""Scenario files (drawbridge/scenario@1): typed model, line-aware loader, library, dumper.

>>> from harness.scenarios import load_scenario, load_library, dump_scenario  # doctest: +SKIP

See docs/scenario-format.md for the format and scenarios/schema/scenario-1.schema.json for
its JSON Schema.

The loader, the library and the dumper are imported when first asked for (PEP 562): a module
that needs only a part of this package, such as ``yamlpos`` for the contract loader's YAML caps
(``drawbridge diff``), does not pay for the loader's JSON Schema validation (about 80 ms and
15 MiB).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from harness.scenarios import model
from harness.scenarios.model import *  # noqa: F403 -- the typed model, listed once in its __all__

if TYPE_CHECKING:
    from harness.scenarios.dump import dump_scenario
    from harness.scenarios.library import load_library
    from harness.scenarios.loader import load_scenario

#: the package's functions and the module each lives in, imported on first use
_LAZY = {"dump_scenario": "harness.scenarios.dump", "load_library": "harness.scenarios.library",
         "load_scenario": "harness.scenarios.loader"}

__all__ = ["dump_scenario", "load_library", "load_scenario"]
__all__ += model.__all__


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
