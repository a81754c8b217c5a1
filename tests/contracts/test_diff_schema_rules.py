"""One test per schema rule: the same edit of a shared schema, judged on both sides.

The fixture's Drawdown schema is both the request body and the response body of
``POST /credit-lines/{lineId}/drawdowns``, so each edit yields a ``request-...`` and a
``response-...`` change; the two must be classified differently where the catalogue says so.
"""

from __future__ import annotations

from typing import Any

import pytest
from diff_helpers import diff_edit, load, write

from harness.contracts import Audience, Severity, diff_files

B, P, S = Severity.BREAKING, Severity.POTENTIAL, Severity.SAFE
CLIENTS, PROVIDERS, BOTH, NOBODY = (Audience.CLIENTS, Audience.PROVIDERS, Audience.BOTH,
                                    Audience.NOBODY)
OP = "POST /credit-lines/{lineId}/drawdowns"


def props(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["components"]["schemas"]["Drawdown"]["properties"]


def schema(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["components"]["schemas"]["Drawdown"]


def rename(doc: dict[str, Any]) -> None:
    props(doc)["purpose"] = props(doc).pop("purposeCode")


def add_required(doc: dict[str, Any]) -> None:
    props(doc)["currency"] = {"type": "string"}
    schema(doc)["required"].append("currency")


CASES = [
    # (id, edit, base rule, pointer, request (who, how sure), response (who, how sure))
    ("became-required", lambda d: schema(d)["required"].append("purposeCode"),
     "property-became-required", ".purposeCode", (CLIENTS, B), (PROVIDERS, P)),
    ("became-optional", lambda d: schema(d)["required"].remove("beneficiaryAccount"),
     "property-became-optional", ".beneficiaryAccount", (PROVIDERS, P), (CLIENTS, B)),
    ("enum-removed", lambda d: props(d)["status"]["enum"].remove("DISBURSED"),
     "enum-value-removed", ".status", (CLIENTS, B), (CLIENTS, B)),
    ("enum-added", lambda d: props(d)["status"]["enum"].append("REJECTED"),
     "enum-value-added", ".status", (PROVIDERS, P), (CLIENTS, P)),
    ("extensible-enum-added",
     lambda d: props(d)["status"].update({"enum": None, "x-extensible-enum":
                                          ["PENDING", "DISBURSED", "REJECTED"]}),
     "extensible-enum-value-added", ".status", (PROVIDERS, P), (NOBODY, S)),
    ("max-length-tightened", lambda d: props(d)["purposeCode"].update(maxLength=3),
     "constraint-tightened", ".purposeCode", (CLIENTS, B), (PROVIDERS, P)),
    ("max-items-loosened", lambda d: props(d)["tags"].update(maxItems=10),
     "constraint-loosened", ".tags", (PROVIDERS, P), (CLIENTS, P)),
    ("minimum-tightened", lambda d: props(d)["amount"].update(minimum=100),
     "constraint-tightened", ".amount", (CLIENTS, B), (PROVIDERS, P)),
    ("exclusive-maximum-tightened",
     lambda d: props(d)["amount"].update(exclusiveMaximum=100000000),
     "constraint-tightened", ".amount", (CLIENTS, B), (PROVIDERS, P)),
    ("pattern-changed", lambda d: props(d)["beneficiaryAccount"].update(pattern="^[0-9]{12}$"),
     "constraint-changed", ".beneficiaryAccount", (BOTH, P), (BOTH, P)),
    ("type-changed", lambda d: props(d)["amount"].update(type="string"),
     "type-changed", ".amount", (BOTH, B), (BOTH, B)),
    ("became-nullable", lambda d: props(d)["status"].update(type=["string", "null"]),
     "type-widened", ".status", (PROVIDERS, P), (CLIENTS, B)),
    ("format-changed", lambda d: props(d)["amount"].update(format="int32"),
     "format-changed", ".amount", (BOTH, B), (BOTH, B)),
    ("renamed", rename, "property-renamed", ".purposeCode", (BOTH, B), (BOTH, B)),
    ("removed", lambda d: props(d).pop("purposeCode"),
     "property-removed", ".purposeCode", (CLIENTS, P), (CLIENTS, B)),
    ("required-added", add_required,
     "required-property-added", ".currency", (CLIENTS, B), (PROVIDERS, B)),
    ("optional-added", lambda d: props(d).update(note={"type": "string", "maxLength": 200}),
     "property-added", ".note", (NOBODY, S), (NOBODY, S)),
    ("closed", lambda d: schema(d).update(additionalProperties=False),
     "additional-properties-disallowed", "", (CLIENTS, P), (PROVIDERS, P)),
    ("items-tightened", lambda d: props(d)["tags"]["items"].update(maxLength=8),
     "constraint-tightened", ".tags[]", (CLIENTS, B), (PROVIDERS, P)),
]


@pytest.mark.parametrize(("edit", "rule", "pointer", "on_request", "on_response"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_schema_edit_is_judged_by_side(tmp_path, edit, rule, pointer, on_request, on_response):
    changes = [c for c in diff_edit(tmp_path, edit) if c.operation == OP]
    found = {(c.rule, c.pointer): (c.audience, c.severity) for c in changes}
    assert found.get((f"request-{rule}", f"request body {pointer}".strip())) == on_request, changes
    response_key = (f"response-{rule}", f"response 201 {pointer}".strip())
    assert found.get(response_key) == on_response, changes
    assert len(changes) == 2, changes  # exactly one change per side, no noise


def test_rename_names_both_properties(tmp_path):
    changes = diff_edit(tmp_path, rename)
    messages = {c.message for c in changes if c.rule == "request-property-renamed"}
    assert messages == {"property 'purposeCode' renamed to 'purpose' (same schema)"}
    assert not [c for c in changes if c.rule.endswith(("property-removed", "property-added"))]


def test_removed_and_added_with_different_schemas_is_not_a_rename(tmp_path):
    def edit(doc):
        props(doc).pop("purposeCode")
        props(doc)["purpose"] = {"type": "integer"}

    rules = {c.rule for c in diff_edit(tmp_path, edit) if c.operation == OP}
    assert {"request-property-removed", "request-property-added"} <= rules
    assert not {r for r in rules if r.endswith("renamed")}


def test_oneof_variant_added_and_removed(tmp_path):
    old, new = load(), load()
    props(old)["amount"] = {"oneOf": [{"type": "integer"}]}
    props(new)["amount"] = {"oneOf": [{"type": "integer"}, {"type": "string"}]}
    changes = diff_files(write(tmp_path / "o.json", old), write(tmp_path / "n.json", new))
    found = {(c.rule, c.audience, c.severity) for c in changes if c.operation == OP}
    assert found == {("request-variant-added", PROVIDERS, P),
                     ("response-variant-added", CLIENTS, P)}
    back = diff_files(write(tmp_path / "n2.json", new), write(tmp_path / "o2.json", old))
    found = {(c.rule, c.audience, c.severity) for c in back if c.operation == OP}
    assert found == {("request-variant-removed", CLIENTS, B),
                     ("response-variant-removed", PROVIDERS, P)}
