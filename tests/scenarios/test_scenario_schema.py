"""The published JSON Schema is the one the loader uses, and it matches the vocabulary."""

from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft202012Validator

from fake_core_bank import cores
from harness.scenarios import vocabulary as v
from harness.scenarios.schema import build_schema, published_schema, render_schema, schema_path
from harness.scenarios.yamlpos import load_yaml

REPO = Path(__file__).resolve().parents[2]
PUBLISHED = REPO / "scenarios" / "schema" / "scenario-1.schema.json"


def test_published_file_is_the_generated_schema() -> None:
    # Refresh with: .venv/bin/python -m harness.scenarios
    assert PUBLISHED.read_text(encoding="utf-8") == render_schema()


def test_loader_reads_the_published_file() -> None:
    assert schema_path() == PUBLISHED
    assert published_schema() == json.loads(PUBLISHED.read_text(encoding="utf-8"))


def test_schema_is_valid_draft_2020_12() -> None:
    schema = build_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_enums_come_from_the_vocabulary() -> None:
    defs = build_schema()["$defs"]
    assert defs["step"]["properties"]["event"]["enum"] == list(v.EVENTS)
    assert defs["step"]["properties"]["do"]["enum"] == list(v.OPERATIONS)
    assert defs["reason"]["enum"] == list(v.REASON_CODES)
    assert defs["oracle"]["enum"] == list(v.ORACLES)
    assert defs["scenario"]["properties"]["cause"]["enum"] == list(v.CAUSES)
    for kind, fields in v.EVENTS.items():
        assert set(defs[f"event-{kind}"]["properties"]) == {"at", "name", "event", *fields}


def test_an_editor_validating_with_the_file_accepts_the_example() -> None:
    doc = load_yaml(Path(__file__).parent / "good" / "full-example.yaml")
    validator = Draft202012Validator(json.loads(PUBLISHED.read_text(encoding="utf-8")))
    assert list(validator.iter_errors(doc.data)) == []
    doc.data["timeline"][0]["event"] = "frezee"
    assert [e.validator for e in validator.iter_errors(doc.data)] == ["enum"]


def test_the_reference_documents_every_word_of_the_vocabulary() -> None:
    doc = (REPO / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    words = [
        *v.CAUSES,
        *cores.active().versions,
        *v.CURRENCIES,
        *v.LINE_STATUSES,
        *v.OUTCOMES,
        *v.REASON_CODES,
        *v.ORACLES,
        *v.EVENTS,
        *v.OPERATIONS,
        *v.FAULT_KINDS,
        *v.MAINTENANCE_MODES,
        *build_schema()["$defs"]["bank"]["properties"],
    ]
    missing = [w for w in words if f"`{w}`" not in doc and f"{w}:" not in doc]
    assert missing == [], f"docs/scenario-format.md does not mention: {missing}"
