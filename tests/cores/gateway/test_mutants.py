"""The gateway's envelope mutation operators, run against its reference connector on its own
profile through the function behind `drawbridge mutate`: every one applies and is killed by a
MUST scenario, by one of the oracles it names."""

from __future__ import annotations

import json

import pytest

from examples.cores.gateway_lending.mutants import OPERATORS
from fake_core_bank import cores
from harness.certify.profiles import load_profile, resolve_profile
from harness.drivers import driver_factory
from harness.engine.runner import RunOptions
from harness.mutate.report import render_markdown, to_document
from harness.mutate.session import mutate_profile
from harness.paths import default_library
from harness.scenarios.library import load_library
from tests.cores.gateway.gateway_kit import MODEL, REFERENCE, SPEC, drawbridge

pytestmark = pytest.mark.slow


def test_every_envelope_mutant_is_killed_by_an_oracle_it_names():
    with cores.using(MODEL):
        library = load_library(default_library())
        profile = load_profile(resolve_profile("gateway-r1"), library)
        make_driver, identity = driver_factory(REFERENCE)
        run = mutate_profile(profile, library, OPERATORS, make_driver, identity,
                             RunOptions(seed=0))
    assert run.score == 1.0 and len(run.scored) == len(OPERATORS)
    for mutant in run.mutants:
        assert mutant.kill is not None and mutant.kill.level == "must", mutant.operator.id
        assert mutant.kill.oracle in mutant.operator.oracles, (mutant.operator.id,
                                                               mutant.kill.oracle)
    page = render_markdown(to_document(run))
    assert all(op.id in page for op in OPERATORS) and "gateway-r1" in page


def test_drawbridge_mutate_runs_the_envelope_operators_through_the_cli(tmp_path):
    """`--core` gives `mutate` the core's own catalogue (CoreModel.mutation_operators)."""
    done = drawbridge("mutate", "--core", SPEC, "--connector", REFERENCE, "--profile",
                      "gateway-r1", "--operators", "gw-http-200-is-success,gw-fresh-seq-no",
                      "--out", str(tmp_path / "mut"), "--min-score", "1")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((tmp_path / "mut" / "mutation.json").read_text(encoding="utf-8"))
    assert report["score"] == {"killed": 2, "mutants": 2, "value": 1.0}
    assert {m["operator"] for m in report["mutants"]} == {"gw-http-200-is-success",
                                                          "gw-fresh-seq-no"}
    unknown = drawbridge("mutate", "--core", SPEC, "--connector", REFERENCE, "--profile",
                         "gateway-r1", "--operators", "drop-idempotency-key",
                         "--out", str(tmp_path / "other"))
    assert unknown.returncode == 2 and "drop-idempotency-key" in unknown.stderr, unknown.stderr
