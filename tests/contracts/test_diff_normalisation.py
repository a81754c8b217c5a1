"""Meaning, not spelling: Swagger 2.0 vs OpenAPI 3.0, cyclic schemas, relative-file refs."""

from __future__ import annotations

import copy

from diff_helpers import DATA, by_rule, load, write

from harness.contracts import Severity, diff_files

FIX = DATA / "diff"


def test_swagger2_and_its_openapi3_spelling_are_the_same_contract():
    assert diff_files(FIX / "swagger2.yaml", FIX / "openapi3-equivalent.yaml") == []


def test_change_inside_a_cyclic_schema_is_found_once_and_terminates(tmp_path):
    old = load(FIX / "openapi3-equivalent.yaml")
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Node"]["required"] = ["id"]
    changes = diff_files(write(tmp_path / "o.json", old), write(tmp_path / "n.json", new))
    assert [(c.rule, c.pointer) for c in changes] == [
        ("response-property-became-required", "response 201 .id")]
    assert changes[0].severity is Severity.POTENTIAL


def test_swagger2_body_parameter_becomes_the_request_body(tmp_path):
    old = load(FIX / "swagger2.yaml")
    new = copy.deepcopy(old)
    new["definitions"]["DrawdownRequest"]["required"].append("purposeCode")
    new["basePath"] = "/api/v2"
    found = by_rule(diff_files(write(tmp_path / "o.json", old), write(tmp_path / "n.json", new)))
    [required] = found["request-property-became-required"]
    assert required.location == "POST /lines/{lineId}/drawdowns request body .purposeCode"
    assert found["base-path-changed"][0].message == "base path /api/v1 -> /api/v2"


def test_relative_file_ref_equals_the_inlined_schema(tmp_path):
    doc = load(FIX / "openapi3-equivalent.yaml")
    (tmp_path / "schemas.json").write_text(
        '{"Node": {"type": "object", "properties": {"id": {"type": "string"}, "children": '
        '{"type": "array", "items": {"$ref": "#/Node"}}}}}')
    split = copy.deepcopy(doc)
    split["components"]["schemas"]["Node"] = {"$ref": "schemas.json#/Node"}
    assert diff_files(write(tmp_path / "one.json", doc), write(tmp_path / "two.json", split)) == []
