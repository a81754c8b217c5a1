"""Shrinking: cut a failing scenario down to the steps and world that still make it fail.

:func:`shrink` is delta debugging over a predicate (``delta.py``); every candidate goes
through :func:`harness.scenarios.loader.reload_scenario`, so everything the shrinker writes is a
scenario the loader accepts.
"""

from harness.shrink.delta import ShrinkResult, shrink, units, without

__all__ = ["ShrinkResult", "shrink", "units", "without"]
