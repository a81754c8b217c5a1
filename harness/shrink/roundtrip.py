"""Scenarios written from code must load like files: text in, checked scenario out.

Generated and rewritten scenarios (shrinker, explorer, recordings, bundles) go through the same
checks as a file on disk, so a scenario they write is one ``drawbridge run`` accepts.
"""

from __future__ import annotations

from harness.scenarios import dump_scenario
from harness.scenarios.build import Builder
from harness.scenarios.loader import check_format
from harness.scenarios.model import Scenario
from harness.scenarios.structure import first_error
from harness.scenarios.vocabulary import FORMAT
from harness.scenarios.yamlpos import parse_yaml


def load_scenario_text(text: str, display: str) -> Scenario:
    """Load scenario YAML held in memory (no includes); errors name ``display``."""
    doc = parse_yaml(text, display)
    check_format(doc, FORMAT)
    problem = first_error(doc, "scenario")
    if problem is not None:
        raise problem
    return Builder(doc).scenario()


def reload(scenario: Scenario, display: str = "<generated>") -> Scenario:
    """``scenario`` dumped and loaded again: raises InputError when it would not load."""
    return load_scenario_text(dump_scenario(scenario), display)
