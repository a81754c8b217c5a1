"""Shrinking: cut a failing scenario down to the steps and world that still make it fail.

:func:`shrink` is delta debugging over a predicate (``delta.py``); :mod:`.roundtrip` loads
scenarios held in memory, so everything the shrinker writes is a scenario the loader accepts.
"""

from harness.shrink.delta import ShrinkResult, shrink, units, without
from harness.shrink.roundtrip import load_scenario_text, reload

__all__ = ["ShrinkResult", "load_scenario_text", "reload", "shrink", "units", "without"]
