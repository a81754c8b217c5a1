"""Operation- and document-level rules on the small fixture: one edit, the expected change."""

from __future__ import annotations

from typing import Any

import pytest
from diff_helpers import by_rule, diff_edit

from harness.contracts import Audience, Severity

B, P, S = Severity.BREAKING, Severity.POTENTIAL, Severity.SAFE
OP = "POST /credit-lines/{lineId}/drawdowns"
DRAW = "/credit-lines/{lineId}/drawdowns"


def post(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["paths"][DRAW]["post"]


def rename_path(doc):
    doc["paths"]["/lines/{lineId}/drawdowns"] = doc["paths"].pop(DRAW)


def move_201_to_202(doc):
    post(doc)["responses"]["202"] = post(doc)["responses"].pop("201")


CASES = [
    ("path-removed", lambda d: d["paths"].pop("/drawdowns/{drawdownId}"),
     "path-removed", "GET /drawdowns/{drawdownId}", B, Audience.CLIENTS),
    ("operation-removed", lambda d: d["paths"][DRAW].update(
        get={"responses": {"200": {"description": "ok"}}}) or d["paths"][DRAW].pop("post"),
     "operation-removed", OP, B, Audience.CLIENTS),
    ("operation-added", lambda d: d["paths"][DRAW].update(
        get={"responses": {"200": {"description": "ok"}}}),
     "operation-added", "GET " + DRAW, S, Audience.NOBODY),
    ("required-header", lambda d: post(d)["parameters"].append(
        {"name": "Idempotency-Key", "in": "header", "required": True,
         "schema": {"type": "string"}}),
     "required-header-added", OP, B, Audience.CLIENTS),
    ("required-query", lambda d: post(d)["parameters"].append(
        {"name": "channel", "in": "query", "required": True, "schema": {"type": "string"}}),
     "required-parameter-added", OP, B, Audience.CLIENTS),
    ("optional-query", lambda d: post(d)["parameters"].append(
        {"name": "channel", "in": "query", "schema": {"type": "string"}}),
     "parameter-added", OP, S, Audience.NOBODY),
    ("param-required", lambda d: post(d)["parameters"][0].update(required=True),
     "parameter-became-required", OP, B, Audience.CLIENTS),
    ("param-removed", lambda d: post(d)["parameters"].clear(),
     "parameter-removed", OP, P, Audience.CLIENTS),
    ("success-status", move_201_to_202, "success-status-added", OP, B, Audience.CLIENTS),
    ("error-status", lambda d: post(d)["responses"].update(
        {"422": {"description": "refused"}}), "error-status-added", OP, P, Audience.CLIENTS),
    ("status-removed", lambda d: post(d)["responses"].pop("409"),
     "response-status-removed", OP, P, Audience.PROVIDERS),
    ("request-media", lambda d: post(d)["requestBody"]["content"].update(
        {"application/xml": {"schema": {"type": "string"}}}) or
     post(d)["requestBody"]["content"].pop("application/json"),
     "request-media-type-removed", OP, B, Audience.CLIENTS),
    ("body-optional", lambda d: post(d)["requestBody"].update(required=False),
     "request-body-became-optional", OP, P, Audience.PROVIDERS),
    ("header-removed", lambda d: post(d)["responses"]["201"].pop("headers"),
     "response-header-removed", OP, P, Audience.CLIENTS),
    ("base-path", lambda d: d["servers"][0].update(url="https://bank.example/api/v2"),
     "base-path-changed", "", B, Audience.CLIENTS),
    ("server-host", lambda d: d["servers"][0].update(url="https://other.example/api/v1"),
     "server-removed", "", P, Audience.CLIENTS),
    ("servers-removed", lambda d: d.pop("servers"), "servers-removed", "", P, Audience.CLIENTS),
    ("auth-dropped-alternative", lambda d: d["components"]["securitySchemes"].update(
        key={"type": "apiKey", "in": "header", "name": "X-Key"}) or d.update(
        security=[{"key": []}]), "security-requirement-removed", OP, B, Audience.CLIENTS),
    ("auth-added-alternative", lambda d: d["security"].append({}),
     "security-requirement-added", OP, P, Audience.PROVIDERS),
    ("scheme-changed", lambda d: d["components"]["securitySchemes"].update(
        bearer={"type": "apiKey", "in": "header", "name": "X-Token"}),
     "security-scheme-changed", "", B, Audience.BOTH),
    ("schema-added", lambda d: d["components"]["schemas"].update(Unused={"type": "string"}),
     "schema-added", "", S, Audience.NOBODY),
    ("operation-id", lambda d: post(d).update(operationId="drawDown"),
     "operation-id-changed", OP, P, Audience.CLIENTS),
]


@pytest.mark.parametrize(("edit", "rule", "operation", "severity", "audience"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_operation_edit(tmp_path, edit, rule, operation, severity, audience):
    found = by_rule(diff_edit(tmp_path, edit))
    assert rule in found, sorted(found)
    assert {(c.operation, c.severity, c.audience) for c in found[rule]} >= {
        (operation, severity, audience)}


def test_path_rename_is_reported_as_likely_rename(tmp_path):
    found = by_rule(diff_edit(tmp_path, rename_path))
    [removed] = found["path-removed"]
    [added] = found["path-added"]
    assert "likely renamed to /lines/{lineId}/drawdowns (same operationId 'createDrawdown')" \
        in removed.message
    assert added.operation == "POST /lines/{lineId}/drawdowns"


def test_path_parameter_renamed_is_no_change(tmp_path):
    def edit(doc):
        item = doc["paths"].pop(DRAW)
        item["parameters"][0]["name"] = "id"
        doc["paths"]["/credit-lines/{id}/drawdowns"] = item

    assert diff_edit(tmp_path, edit) == []


def test_201_to_202_breaks_clients_and_names_both_codes(tmp_path):
    found = by_rule(diff_edit(tmp_path, move_201_to_202))
    assert [c.pointer for c in found["success-status-added"]] == ["response 202"]
    assert [c.pointer for c in found["response-status-removed"]] == ["response 201"]
