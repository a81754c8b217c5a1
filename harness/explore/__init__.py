"""Exploration: random, valid timelines against a connector; each distinct failure written as
a minimal scenario (``drawbridge explore``).

- :func:`scenarios` (``strategies.py``): hypothesis strategies building Scenario objects;
- :class:`Judge` (``judge.py``): runs candidates, says which oracles object;
- :func:`explore` (``explorer.py``): the loop, distinct failures, shrinking, files.
"""

from harness.explore.explorer import Discovery, explore, failure_keys
from harness.explore.judge import Judge, primary_oracle
from harness.explore.strategies import scenarios

__all__ = ["Discovery", "Judge", "explore", "failure_keys", "primary_oracle", "scenarios"]
