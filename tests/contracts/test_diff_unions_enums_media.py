"""Unions compared branch by branch, renamed enum values, closed request objects, media types.

Issue 20 points 1-3: synthetic minimal pairs first, then the published pairs that show them.
"""

from __future__ import annotations

from typing import Any

from diff_helpers import diff_edit, load, write
from test_diff_real_specs import BR, PSD2

from harness.contracts import Audience, Severity, diff_files

OP = "POST /credit-lines/{lineId}/drawdowns"


def schemas(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["components"]["schemas"]


def props(doc: dict[str, Any]) -> dict[str, Any]:
    return schemas(doc)["Drawdown"]["properties"]


def pair(tmp_path, old_edit, new_edit):
    old, new = load(), load()
    old_edit(old)
    new_edit(new)
    return diff_files(write(tmp_path / "old.json", old), write(tmp_path / "new.json", new))


def rules_at(changes, pointer_end: str) -> set[str]:
    return {c.rule for c in changes if c.pointer.endswith(pointer_end)}


# 1. oneOf/anyOf

def test_union_of_string_patterns_is_still_a_string(tmp_path):
    def old(d):
        props(d)["purposeCode"] = {"type": "string", "pattern": "^A$"}

    def new(d):
        props(d)["purposeCode"] = {"oneOf": [{"type": "string", "pattern": "^A$"},
                                             {"type": "string", "pattern": "^B$"}]}

    changes = pair(tmp_path, old, new)
    found = {c.rule: c for c in changes if c.pointer.endswith(".purposeCode")}
    assert set(found) == {"request-constraint-loosened", "response-constraint-loosened"}
    assert found["request-constraint-loosened"].message == "pattern '^A$' -> '^A$' | '^B$'"
    assert not any("type" in c.rule for c in changes)


def test_enum_values_inside_branches_are_seen(tmp_path):
    def old(d):
        props(d)["status"] = {"type": "string", "enum": ["PENDING", "DISBURSED"]}

    def new(d):
        props(d)["status"] = {"anyOf": [{"type": "string", "enum": ["PENDING", "DISBURSED"]},
                                        {"type": "string", "enum": ["HELD"]}]}

    changes = [c for c in pair(tmp_path, old, new) if c.pointer.endswith(".status")]
    assert {(c.rule, c.message) for c in changes} == {
        ("request-enum-value-added", "enum value(s) added: 'HELD'"),
        ("response-enum-value-added", "enum value(s) added: 'HELD'")}


def test_object_split_into_variants_that_all_require_a_property_keeps_it_required(tmp_path):
    def old(d):
        schemas(d)["Line"] = {"type": "object", "required": ["id", "limit"],
                              "properties": {"id": {"type": "string"},
                                             "limit": {"type": "integer"}}}
        props(d)["line"] = {"$ref": "#/components/schemas/Line"}

    def new(d):
        base = {"id": {"type": "string"}, "limit": {"type": "integer"}}
        schemas(d)["Basic"] = {"type": "object", "required": ["id", "limit"], "properties": base}
        schemas(d)["Detail"] = {"type": "object", "required": ["id", "limit", "history"],
                                "properties": {**base, "history": {"type": "array"}}}
        props(d)["line"] = {"oneOf": [{"$ref": "#/components/schemas/Basic"},
                                      {"$ref": "#/components/schemas/Detail"}]}

    changes = [c for c in pair(tmp_path, old, new) if ".line" in c.pointer]
    # only the new optional 'history' (required in one branch only): no required property
    # added, no type change
    assert {c.rule for c in changes} == {"request-property-added", "response-property-added"}
    assert {c.pointer.split(" ")[-1] for c in changes} == {".line.history"}


def test_branches_are_matched_by_ref_and_the_changed_one_compared(tmp_path):
    def both(d):
        schemas(d)["Card"] = {"type": "object", "properties": {"pan": {"type": "string"}}}
        schemas(d)["Iban"] = {"type": "object", "properties": {"iban": {"type": "string"}}}
        schemas(d)["Wallet"] = {"type": "object", "properties": {"wallet": {"type": "string"}}}
        props(d)["account"] = {"oneOf": [{"$ref": "#/components/schemas/Card"},
                                         {"$ref": "#/components/schemas/Iban"}]}

    def new(d):
        both(d)
        schemas(d)["Iban"]["properties"]["iban"]["maxLength"] = 34
        props(d)["account"]["oneOf"].insert(0, {"$ref": "#/components/schemas/Wallet"})

    changes = [c for c in pair(tmp_path, both, new) if c.operation == OP
               and c.pointer.startswith("request")]
    assert {(c.rule, c.pointer, c.message) for c in changes} == {
        ("request-variant-added", "request body .account(oneOf)",
         "oneOf alternative 1 (Wallet) added"),
        ("request-constraint-tightened", "request body .account(oneOf 3).iban",
         "maxLength none -> 34")}


def test_a_union_that_gains_another_type_still_widens(tmp_path):
    # the defect the flattening must not hide: string -> string|integer
    def old(d):
        props(d)["purposeCode"] = {"type": "string"}

    def new(d):
        props(d)["purposeCode"] = {"oneOf": [{"type": "string"}, {"type": "integer"}]}

    changes = pair(tmp_path, old, new)
    assert rules_at(changes, ".purposeCode") == {"request-type-widened", "response-type-widened"}


def test_psd2_134_to_136_unions_matched_branch_by_branch():
    changes = diff_files(PSD2 / "1.3.4-20190717.yaml", PSD2 / "1.3.6-20200306.yaml")
    # four authorisation unions gained a fifth branch: no branch is reported removed, the
    # added one is named, and an enum value added inside a branch is seen
    assert not [c for c in changes if c.rule.endswith("variant-removed")]
    added = {c.message for c in changes if c.rule == "request-variant-added"}
    assert added == {"oneOf alternative 5 (authorisationConfirmation) added"}
    assert any(c.rule == "request-enum-value-added" and "(oneOf 2).frequency" in c.pointer
               and "'MonthlyVariable'" in c.message for c in changes)


# 2. renamed enum values, removals by side, closed request objects

def test_enum_value_removed_and_added_at_one_place_is_one_rename(tmp_path):
    def edit(d):
        status = props(d)["status"]["enum"]
        status[status.index("DISBURSED")] = "PAID"

    changes = [c for c in diff_edit(tmp_path, edit) if c.pointer.endswith(".status")]
    assert {(c.rule, c.message, c.severity, c.audience) for c in changes} == {
        (f"{side}-enum-value-renamed", "enum value 'DISBURSED' renamed to 'PAID'",
         Severity.BREAKING, Audience.BOTH) for side in ("request", "response")}


def test_two_removed_one_added_is_one_rename_and_one_removal(tmp_path):
    def old(d):
        props(d)["status"]["enum"] = ["A", "B", "C"]

    def new(d):
        props(d)["status"]["enum"] = ["A", "X"]

    changes = [c for c in pair(tmp_path, old, new)
               if c.pointer.startswith("response 201") and c.pointer.endswith(".status")]
    assert sorted((c.rule, c.message) for c in changes) == [
        ("response-enum-value-removed", "enum value(s) removed: 'C'"),
        ("response-enum-value-renamed", "enum value 'B' renamed to 'X'")]


def test_property_removed_from_closed_request_object_breaks_senders(tmp_path):
    def closed(d):
        schemas(d)["Drawdown"]["additionalProperties"] = False

    def new(d):
        closed(d)
        del props(d)["purposeCode"]

    changes = {c.rule: c for c in pair(tmp_path, closed, new)
               if c.pointer.endswith(".purposeCode")}
    request = changes["request-closed-property-removed"]
    assert (request.severity, request.audience) == (Severity.BREAKING, Audience.CLIENTS)
    assert "response-property-removed" in changes
    # an open object only ignores it: potentially-breaking, as before
    opened = {c.rule for c in diff_edit(tmp_path, lambda d: props(d).pop("purposeCode"))}
    assert "request-property-removed" in opened
    assert "request-closed-property-removed" not in opened


def test_response_enum_value_removal_breaks_waiting_clients_on_a_real_pair():
    changes = diff_files(BR / "consents/2.2.0.yaml", BR / "consents/3.0.0.yaml")
    [removed] = [c for c in changes if "'REFRESH_TOKEN_JWT'" in c.message]
    assert removed.rule == "response-enum-value-removed"
    assert (removed.severity, removed.audience) == (Severity.BREAKING, Audience.CLIENTS)


# 3. media types

def test_charset_parameter_is_one_change_and_the_payload_is_still_compared(tmp_path):
    def edit(d):
        responses = d["paths"]["/credit-lines/{lineId}/drawdowns"]["post"]["responses"]
        responses["201"]["content"] = {
            "application/json; charset=utf-8": responses["201"]["content"]["application/json"]}
        schemas(d)["Drawdown"]["required"].append("purposeCode")

    changes = diff_edit(tmp_path, edit)
    rules = [c.rule for c in changes]
    assert rules.count("media-type-parameters-changed") == 1
    assert "response-media-type-removed" not in rules
    assert "response-property-became-required" in rules  # the schema behind it compared


def test_media_type_spelling_and_parameter_case_mean_nothing(tmp_path):
    def edit(d):
        body = d["paths"]["/credit-lines/{lineId}/drawdowns"]["post"]["requestBody"]
        body["content"] = {"Application/JSON": body["content"]["application/json"]}

    assert diff_edit(tmp_path, edit) == []


def test_brasil_accounts_charset_no_longer_hides_the_error_payload():
    changes = diff_files(BR / "accounts/1.0.3.yaml", BR / "accounts/2.0.0.yaml")
    assert not [c for c in changes if "media-type-removed" in c.rule]
    params = [c for c in changes if c.rule == "media-type-parameters-changed"]
    assert {c.message for c in params} == {
        "media type application/json -> application/json; charset=utf-8"}
    assert len({c.cause_key for c in params}) == 1  # one finding, five places
