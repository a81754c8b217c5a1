"""`drawbridge diff` on published banking APIs (Berlin Group NextGenPSD2, Open Finance Brasil).

Expectations were read off the documents (see tests/data/real-specs/SOURCES.md), not off the
tool's output: schema sets are cross-checked against the raw YAML.
"""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest
import yaml
from diff_helpers import DATA, by_rule

from harness.contracts import diff_files

SPECS = DATA / "real-specs"
PSD2 = SPECS / "berlingroup-psd2-api"
BR = SPECS / "brasil-ofb"


def _pairs() -> list[tuple[Path, Path]]:
    """Consecutive versions in every folder of real specs."""
    pairs = []
    folders = [PSD2, *sorted(p for p in BR.iterdir() if p.is_dir())]
    for folder in folders:
        files = sorted(folder.glob("*.yaml"),
                       key=lambda p: [int(x) for x in p.stem.split("-")[0].split(".")] + [p.stem])
        pairs += list(itertools.pairwise(files))
    return pairs


def _schema_names(path: Path) -> set[str]:
    return set(yaml.safe_load(path.read_text(encoding="utf-8"))["components"]["schemas"])


def _named(changes, rule):
    return {c.pointer.removeprefix("components.schemas.") for c in by_rule(changes).get(rule, [])}


@pytest.mark.parametrize(("old", "new"), _pairs(),
                         ids=lambda p: str(p.relative_to(SPECS)))
def test_every_published_pair_diffs_without_error(old, new):
    changes = diff_files(old, new)  # the 500 KB PSD2 documents included (speed: bench/)
    assert changes == diff_files(old, new)  # deterministic


def test_documentation_only_patch_release_reports_nothing():
    # accounts 2.4.2 only rewrites one description and one example of 2.4.0
    assert diff_files(BR / "accounts/2.4.0.yaml", BR / "accounts/2.4.2.yaml") == []


def test_psd2_138_to_139():
    changes = diff_files(PSD2 / "1.3.8-20201106.yaml", PSD2 / "1.3.9-20210504.yaml")
    found = by_rule(changes)
    assert {c.operation for c in found["path-added"]} == {"GET /v1/trusted-beneficiaries"}
    assert _named(changes, "schema-removed") == {"tppMessage2XX", "transactionDetailsBody"}
    [servers] = found["servers-removed"]
    assert "https://api.testbank.com/psd2" in servers.message


def test_psd2_134_to_136_adds_15_schemas_and_removes_none():
    old, new = PSD2 / "1.3.4-20190717.yaml", PSD2 / "1.3.6-20200306.yaml"
    changes = diff_files(old, new)
    added = _named(changes, "schema-added")
    assert len(added) == 15
    assert added == _schema_names(new) - _schema_names(old)
    assert _named(changes, "schema-removed") == set()


def test_brasil_loans_240_to_250_removes_links_contract_id():
    changes = diff_files(BR / "loans/2.4.0.yaml", BR / "loans/2.5.0.yaml")
    assert "LinksContractId" in _named(changes, "schema-removed")


def test_brasil_resources_v2_to_v3():
    changes = diff_files(BR / "resources/2.1.0.yaml", BR / "resources/3.0.0.yaml")
    assert "ResponseError" in _named(changes, "schema-removed")
    assert "MetaResponse" in _named(changes, "schema-added")
    [base] = by_rule(changes)["base-path-changed"]
    assert base.message == "base path /open-banking/resources/v2 -> /open-banking/resources/v3"
    assert base.severity.label == "breaking"


def _shuffled(node, rng):
    if isinstance(node, dict):
        items = list(node.items())
        rng.shuffle(items)
        return {k: _shuffled(v, rng) for k, v in items}
    if isinstance(node, list):
        return [_shuffled(v, rng) for v in node]
    return node


def test_reformatted_document_with_shuffled_keys_reports_nothing(tmp_path):
    source = PSD2 / "1.3.9-20210504.yaml"
    document = yaml.safe_load(source.read_text(encoding="utf-8"))
    copy = tmp_path / "reformatted.json"
    copy.write_text(json.dumps(_shuffled(document, random.Random(7)), indent=1, default=str))
    assert diff_files(source, copy) == []


def test_inlined_ref_reports_nothing(tmp_path):
    source = BR / "resources/3.0.0.yaml"
    document = yaml.safe_load(source.read_text(encoding="utf-8"))
    responses = document["paths"]["/resources"]["get"]["responses"]
    ref = responses["200"]
    assert set(ref) == {"$ref"}  # the response is a reference in the published file
    name = ref["$ref"].split("/")[-1]
    responses["200"] = json.loads(json.dumps(document["components"]["responses"][name]))
    copy = tmp_path / "inlined.json"
    copy.write_text(json.dumps(document, default=str))
    assert diff_files(source, copy) == []
