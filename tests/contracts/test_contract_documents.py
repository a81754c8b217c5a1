"""The hand-written core-banking contracts (contracts/core-banking/v1-v3.yaml) and their CHANGELOG.

Each document must be valid OpenAPI 3.1, internally consistent (every $ref resolves, every
example matches its schema, every link points at a real operation) and must say what
docs/core-banking-api.md says it says. The CHANGELOG must name every structural change between
consecutive versions, in the vocabulary the diff tool will read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts" / "core-banking"
CHANGELOG = ROOT / "contracts" / "CHANGELOG.md"
VERSIONS = ("v1", "v2", "v3")
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

# The same operation keeps its operationId in every version that has it.
OPERATION_IDS = {
    ("get", "/customers/{customerId}"): "getCustomer",
    ("get", "/customers/{customerId}/credit-lines"): "listCustomerCreditLines",
    ("get", "/credit-lines/{lineId}"): "getCreditLine",
    ("post", "/credit-lines/{lineId}/activation"): "activateCreditLine",
    ("post", "/credit-lines/{lineId}/drawdowns"): "createDrawdown",
    ("get", "/credit-lines/{lineId}/drawdowns"): "listDrawdowns",
    ("get", "/drawdowns/{drawdownId}"): "getDrawdown",
    ("post", "/credit-lines/{lineId}/repayments"): "createRepayment",
    ("get", "/system/status"): "getSystemStatus",
}
NEW_IN_V2 = {"activateCreditLine"}

# reasonCode -> HTTP status, from the design note's table.
REASON_STATUS = {
    "INVALID_REQUEST": 400, "NOT_FOUND": 404, "LINE_FROZEN": 409, "LINE_LOCKED": 409,
    "LINE_PENDING_ACTIVATION": 409, "LINE_SUSPENDED": 409, "LINE_EXPIRED": 409,
    "PRECONDITION_UNMET": 422, "POLICY_LIMIT_EXCEEDED": 422, "POLICY_FIELD_REQUIRED": 422,
    "INSUFFICIENT_AVAILABLE": 422, "IDEMPOTENCY_CONFLICT": 409, "MAINTENANCE": 503,
    "READ_ONLY": 503, "ACTIVATION_NOT_ALLOWED": 409, "VERSION_RETIRED": 410, "INTERNAL": 500,
}
YUAN_PATTERN = r"^(0|[1-9][0-9]{0,14})\.[0-9]{2}$"


def expected_status_codes(version: str) -> dict[str, set[str]]:
    """Every status code each operation can answer, per the design note."""
    read = {"200", "400", "404", "500", "503"}
    codes = {
        "getCustomer": read, "listCustomerCreditLines": read, "getCreditLine": read,
        "listDrawdowns": read, "getDrawdown": read,
        "createDrawdown": {"201", "400", "404", "409", "422", "500", "503"},
        "createRepayment": {"201", "400", "404", "500", "503"},
        "getSystemStatus": {"200", "500"},  # answers 200 during maintenance, never 503
    }
    if version != "v1":
        codes["activateCreditLine"] = {"200", "400", "404", "409", "422", "500", "503"}
        codes["createRepayment"] = codes["createRepayment"] | {"409"}  # Idempotency-Key
    if version == "v3":
        codes["createDrawdown"] = (codes["createDrawdown"] - {"201"}) | {"202"}
    else:  # only a deprecated version can be retired
        codes = {op: c | {"410"} for op, c in codes.items()}
    return codes


# -- loading and walking ---------------------------------------------------------------------
@cache
def load(version: str) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe", pure=True).load(CONTRACTS / f"{version}.yaml")
    return data


def resolve(doc: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), f"{ref}: contracts use local references only"
    node: Any = doc
    for token in ref[2:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict) and token in node, f"{ref}: {token!r} not found"
        node = node[token]
    return node


def deref(doc: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = resolve(doc, node["$ref"])
    return node


def pointer(*tokens: str) -> str:
    return "#/" + "/".join(t.replace("~", "~0").replace("/", "~1") for t in tokens)


def walk(node: Any, tokens: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield tokens, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, (*tokens, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, (*tokens, str(index)))


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield method, path, item[method]


def operation(doc: dict[str, Any], operation_id: str) -> dict[str, Any]:
    found = [op for _, _, op in operations(doc) if op["operationId"] == operation_id]
    assert len(found) == 1, f"{operation_id}: {len(found)} operations"
    return found[0]


def schema(version: str, name: str) -> dict[str, Any]:
    result: dict[str, Any] = load(version)["components"]["schemas"][name]
    return result


def prop(version: str, name: str, field: str) -> dict[str, Any]:
    doc = load(version)
    result: dict[str, Any] = deref(doc, schema(version, name)["properties"][field])
    return result


def success(op: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    codes = [c for c in op["responses"] if c.startswith("2")]
    assert len(codes) == 1, codes
    return codes[0], op["responses"][codes[0]]


def validator(version: str, schema_pointer: str) -> Draft202012Validator:
    """A 2020-12 validator for the schema at `schema_pointer`, with the document as registry."""
    uri = f"urn:drawbridge:contract:{version}"
    resource = Resource.from_contents(load(version), default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(uri, resource)
    fragment = quote(schema_pointer[1:], safe="/~")
    return Draft202012Validator(
        {"$ref": f"{uri}#{fragment}"},
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def errors(version: str, schema_pointer: str, value: Any) -> list[str]:
    found = validator(version, schema_pointer).iter_errors(value)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in found]


def examples(version: str) -> Iterator[tuple[str, str, Any]]:
    """(where, schema pointer, value) for every example of a media type, parameter or header."""
    doc = load(version)
    for tokens, node in walk(doc):
        if not isinstance(node, dict) or "schema" not in node:
            continue
        schema_pointer = pointer(*tokens, "schema")
        if "example" in node:
            yield pointer(*tokens, "example"), schema_pointer, node["example"]
        if isinstance(node.get("examples"), dict):
            for name, example in node["examples"].items():
                yield pointer(*tokens, "examples", name), schema_pointer, deref(doc, example)[
                    "value"
                ]


# -- each document ---------------------------------------------------------------------------
@pytest.mark.parametrize("version", VERSIONS)
def test_document_is_valid_openapi_3_1(version: str) -> None:
    doc = load(version)
    assert doc["openapi"] == "3.1.0"
    validate(doc, cls=OpenAPIV31SpecValidator)


@pytest.mark.parametrize("version", VERSIONS)
def test_document_is_served_under_its_own_prefix(version: str) -> None:
    doc = load(version)
    assert doc["servers"] == [{"url": f"/{version}"}]
    assert doc["info"]["version"] == f"{version[1]}.0.0"
    for term in ("额度", "提款", "冻结", "待激活", "锁定期"):
        assert term in doc["info"]["description"], f"{version}: description lacks {term}"


@pytest.mark.parametrize("version", VERSIONS)
def test_every_ref_resolves_and_every_component_is_used(version: str) -> None:
    doc = load(version)
    refs = {node["$ref"] for _, node in walk(doc) if isinstance(node, dict) and "$ref" in node}
    for ref in refs:
        resolve(doc, ref)
    unused = [
        pointer("components", kind, name)
        for kind, members in doc["components"].items()
        for name in members
        if pointer("components", kind, name) not in refs
    ]
    assert unused == [], f"{version}: components nobody references: {unused}"


@pytest.mark.parametrize("version", VERSIONS)
def test_operation_ids_are_unique_and_stable_across_versions(version: str) -> None:
    doc = load(version)
    found = {(method, path): op["operationId"] for method, path, op in operations(doc)}
    expected = {
        key: op_id
        for key, op_id in OPERATION_IDS.items()
        if not (version == "v1" and op_id in NEW_IN_V2)
    }
    assert found == expected
    assert len(set(found.values())) == len(found)


@pytest.mark.parametrize("version", VERSIONS)
def test_every_operation_is_described_and_bodies_are_closed(version: str) -> None:
    doc = load(version)
    for method, path, op in operations(doc):
        where = f"{version} {method.upper()} {path}"
        assert op.get("summary"), f"{where}: no summary"
        for parameter in op.get("parameters", []):
            parameter = deref(doc, parameter)
            assert "schema" in parameter, f"{where}: {parameter['name']} has no schema"
            if parameter["in"] == "path":
                assert parameter["schema"]["pattern"] == "^[A-Z]{2,3}[0-9]{6,8}$", where
        if "requestBody" in op:
            body = deref(doc, op["requestBody"])
            assert body["required"] is True, where
            assert list(body["content"]) == ["application/json"], where
            body_schema = deref(doc, body["content"]["application/json"]["schema"])
            assert body_schema.get("additionalProperties") is False, f"{where}: open request body"


@pytest.mark.parametrize("version", VERSIONS)
def test_each_operation_declares_every_status_code_it_can_send(version: str) -> None:
    doc = load(version)
    found = {op["operationId"]: set(op["responses"]) for _, _, op in operations(doc)}
    assert found == expected_status_codes(version)


@pytest.mark.parametrize("version", VERSIONS)
def test_error_responses_use_the_versions_error_format(version: str) -> None:
    doc = load(version)
    media_type, error_schema = (
        ("application/json", "Error") if version == "v1"
        else ("application/problem+json", "Problem")
    )
    for method, path, op in operations(doc):
        for code, response in op["responses"].items():
            if int(code) < 400:
                continue
            content = deref(doc, response)["content"]
            where = f"{version} {method.upper()} {path} {code}"
            assert list(content) == [media_type], where
            refs = [part.get("$ref") for part in content[media_type]["schema"]["allOf"]]
            assert pointer("components", "schemas", error_schema) in refs, where


@pytest.mark.parametrize("version", VERSIONS)
def test_every_503_declares_an_integer_retry_after(version: str) -> None:
    doc = load(version)
    seen = 0
    for _, _, op in operations(doc):
        if "503" in op["responses"]:
            header = deref(doc, deref(doc, op["responses"]["503"])["headers"]["Retry-After"])
            assert header["required"] is True
            assert header["schema"]["type"] == "integer"
            seen += 1
    assert seen == (7 if version == "v1" else 8)  # every operation but getSystemStatus


@pytest.mark.parametrize("version", VERSIONS)
def test_deprecation_headers_are_declared_on_every_answer_of_older_versions(
    version: str,
) -> None:
    doc = load(version)
    for method, path, op in operations(doc):
        for code, response in op["responses"].items():
            headers = deref(doc, response).get("headers", {})
            declared = {"Deprecation", "Sunset", "Link"} & set(headers)
            where = f"{version} {method.upper()} {path} {code}"
            if version == "v3":
                assert declared == set(), f"{where}: v3 is current, nothing to deprecate"
                continue
            assert declared == {"Deprecation", "Sunset", "Link"}, where
            for name in declared:
                assert deref(doc, headers[name])["required"] is False, f"{where} {name}"


@pytest.mark.parametrize("version", VERSIONS)
def test_every_example_matches_its_schema(version: str) -> None:
    found = list(examples(version))
    # The walker must really find the examples: at least one per main body, plus headers.
    assert len(found) >= 20, f"{version}: only {len(found)} examples found"
    for where, schema_pointer, value in found:
        assert errors(version, schema_pointer, value) == [], where


@pytest.mark.parametrize("version", VERSIONS)
def test_main_bodies_have_examples_of_the_articles_line(version: str) -> None:
    doc = load(version)
    request = operation(doc, "createDrawdown")["requestBody"]["content"]["application/json"]
    assert request["examples"], f"{version}: createDrawdown request has no example"
    line = deref(doc, doc["components"]["examples"]["ActiveCreditLine"])["value"]
    assert line["limit"] == ("300000.00" if version == "v1" else 30000000)
    customer = deref(doc, doc["components"]["examples"]["Customer"])["value"]
    assert "轻工" in customer["name"]  # the article's light-industry manufacturer


@pytest.mark.parametrize("version", VERSIONS)
def test_schema_validation_bites(version: str) -> None:
    """The example check above would pass on an empty schema; these values must fail."""
    doc = load(version)
    line = dict(deref(doc, doc["components"]["examples"]["ActiveCreditLine"])["value"])
    line_schema = pointer("components", "schemas", "CreditLine")
    assert errors(version, line_schema, line) == []
    assert errors(version, line_schema, {**line, "limit": 30000000 if version == "v1" else "1.00"})
    assert errors(version, line_schema, {**line, "status": "SLEEPING"})
    without_status = {k: v for k, v in line.items() if k != "status"}
    assert errors(version, line_schema, without_status)
    date_field = "expiresOn" if version == "v3" else "expiryDate"
    assert errors(version, line_schema, {**line, date_field: "14/03/2025"})  # format: date


# -- design facts ----------------------------------------------------------------------------
def test_v1_money_is_decimal_yuan_strings() -> None:
    for name, field in [("CreditLine", "limit"), ("CreditLine", "used"),
                        ("CreditLine", "available"), ("Drawdown", "amount"),
                        ("Repayment", "amount")]:
        amount = prop("v1", name, field)
        assert (amount["type"], amount["pattern"]) == ("string", YUAN_PATTERN), f"{name}.{field}"
    for name in ("DrawdownRequest", "RepaymentRequest"):
        amount = prop("v1", name, "amount")
        assert amount["type"] == "string"
        pattern = re.compile(amount["pattern"])
        assert pattern.match("0.01") and pattern.match("1000.00")
        assert not pattern.match("0.00") and not pattern.match("1000.5")


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_v2_and_later_money_is_integer_minor_units_with_currency(version: str) -> None:
    for name, field in [("CreditLine", "limit"), ("CreditLine", "used"),
                        ("CreditLine", "available"), ("Drawdown", "amount"),
                        ("Repayment", "amount")]:
        amount = prop(version, name, field)
        assert (amount["type"], amount["format"], amount["minimum"]) == ("integer", "int64", 0)
    for name in ("DrawdownRequest", "RepaymentRequest"):
        amount = prop(version, name, "amount")
        assert (amount["type"], amount["format"], amount["minimum"]) == ("integer", "int64", 1)
        assert {"amount", "currency"} <= set(schema(version, name)["required"])
    currency = prop(version, "Drawdown", "currency")
    assert currency["enum"] == ["CNY"] and currency["pattern"] == "^[A-Z]{3}$"


@pytest.mark.parametrize(
    ("version", "states"),
    [
        ("v1", ["ACTIVE", "FROZEN", "EXPIRED"]),
        ("v2", ["ACTIVE", "FROZEN", "EXPIRED", "PENDING_ACTIVATION", "LOCKED"]),
        ("v3", ["ACTIVE", "FROZEN", "EXPIRED", "PENDING_ACTIVATION", "LOCKED", "SUSPENDED"]),
    ],
)
def test_credit_line_states_per_version(version: str, states: list[str]) -> None:
    assert prop(version, "CreditLine", "status")["enum"] == states


def test_a_locked_line_must_say_until_when() -> None:
    line = dict(deref(load("v2"), load("v2")["components"]["examples"]["LockedCreditLine"])[
        "value"
    ])
    where = pointer("components", "schemas", "CreditLine")
    assert errors("v2", where, line) == []
    del line["lockedUntil"]
    assert any("lockedUntil" in e for e in errors("v2", where, line))


def test_a_rejected_v3_drawdown_must_say_why() -> None:
    drawdown = dict(deref(load("v3"), load("v3")["components"]["examples"]["RejectedDrawdown"])[
        "value"
    ])
    where = pointer("components", "schemas", "Drawdown")
    assert errors("v3", where, drawdown) == []
    del drawdown["rejection"]
    assert any("rejection" in e for e in errors("v3", where, drawdown))


@pytest.mark.parametrize("version", VERSIONS)
def test_optional_fields_are_not_required(version: str) -> None:
    optional = {
        "CreditLine": {"lockedUntil", "lockReason"}, "Precondition": {"dueDate"},
        "Drawdown": {"settledAt", "rejection"} | ({"purposeCode"} if version != "v3" else set()),
        "DrawdownRequest": {"purpose"} | ({"purposeCode"} if version == "v2" else set()),
        "DrawdownList": {"nextCursor"},
    }
    for name, fields in optional.items():
        if name not in load(version)["components"]["schemas"]:
            continue
        required = set(schema(version, name)["required"])
        assert required & fields == set(), f"{version} {name}"
        assert required <= set(schema(version, name)["properties"]), f"{version} {name}"


@pytest.mark.parametrize(("version", "required"), [("v1", False), ("v2", True), ("v3", True)])
def test_create_drawdown_idempotency_key(version: str, required: bool) -> None:
    doc = load(version)
    parameters = [deref(doc, p) for p in operation(doc, "createDrawdown")["parameters"]]
    [key] = [p for p in parameters if p["name"] == "Idempotency-Key"]
    assert (key["in"], key["required"]) == ("header", required)
    assert key["schema"]["pattern"] == "^[A-Za-z0-9_.:-]{1,64}$"


def test_v3_create_drawdown_answers_202_with_location_and_requires_purpose_code() -> None:
    doc = load("v3")
    responses = operation(doc, "createDrawdown")["responses"]
    assert "202" in responses and "201" not in responses
    location = deref(doc, responses["202"]["headers"]["Location"])
    assert location["required"] is True
    assert re.match(location["schema"]["pattern"], "/v3/drawdowns/DD00000002")
    assert "purposeCode" in schema("v3", "DrawdownRequest")["required"]
    assert "purposeCode" not in schema("v2", "DrawdownRequest")["required"]
    assert prop("v3", "Drawdown", "status")["enum"] == ["PENDING", "DISBURSED", "REJECTED"]


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_each_reason_code_has_one_status_and_one_type_uri(version: str) -> None:
    problem = schema(version, "Problem")
    codes = problem["properties"]["reasonCode"]["enum"]
    assert ("LINE_SUSPENDED" in codes) is (version == "v3")
    rules = {
        rule["if"]["properties"]["reasonCode"]["const"]: rule["then"]["properties"]
        for rule in problem["allOf"]
    }
    assert set(rules) == set(codes)
    for code in codes:
        kebab = code.lower().replace("_", "-")
        assert rules[code]["status"]["const"] == REASON_STATUS[code], code
        assert rules[code]["type"]["const"] == f"https://core-bank.example/problems/{kebab}"
    problem_pointer = pointer("components", "schemas", "Problem")
    wrong_status = {"type": "https://core-bank.example/problems/line-locked", "title": "t",
                    "status": 422, "detail": "d", "reasonCode": "LINE_LOCKED",
                    "lockedUntil": "2024-04-01T00:00:00+08:00"}
    assert errors(version, problem_pointer, wrong_status)
    assert errors(version, problem_pointer, {**wrong_status, "status": 409}) == []


@pytest.mark.parametrize("version", VERSIONS)
def test_links_point_at_real_operations_and_fields(version: str) -> None:
    doc = load(version)
    by_id = {op["operationId"]: op for _, _, op in operations(doc)}
    links_seen = {}
    for _, _, op in operations(doc):
        for code, response in op["responses"].items():
            for name, link in deref(doc, response).get("links", {}).items():
                target = by_id[link["operationId"]]
                params = {deref(doc, p)["name"] for p in target.get("parameters", [])}
                body = deref(doc, deref(doc, response)["content"]["application/json"]["schema"])
                for param, expression in link["parameters"].items():
                    assert param in params, f"{version} {op['operationId']} {code} {name}"
                    field = expression.removeprefix("$response.body#/")
                    assert field in body["required"], f"{version} {name}: {expression}"
                links_seen[(op["operationId"], link["operationId"])] = link["parameters"]
    assert links_seen[("createDrawdown", "getDrawdown")] == {
        "drawdownId": "$response.body#/drawdownId"
    }
    assert links_seen[("getCustomer", "listCustomerCreditLines")] == {
        "customerId": "$response.body#/customerId"
    }


# -- the CHANGELOG ---------------------------------------------------------------------------
BREAKING = {"breaking", "potentially breaking", "safe"}
WHOM = {"clients", "servers", "both", "nobody"}
ROW = re.compile(r"^\|\s*(v[23]-\d{2})\s*\|")
LOCATOR = re.compile(
    r"^(?:(?P<servers>servers)"
    r"|schema (?P<schema>[A-Z][A-Za-z]*)(?:\.(?P<field>[a-zA-Z]+))?"
    r"|(?P<op>\*|(?:GET|POST|PUT|PATCH|DELETE) /[^ ]*)"
    r"(?: parameter (?P<param>[A-Za-z-]+)"
    r"| response (?P<code>\*|\d{3})(?: header (?P<header>[A-Za-z-]+))?)?)$"
)


def changelog_rows() -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(CHANGELOG.read_text(encoding="utf-8").splitlines(), 1):
        if not ROW.match(line):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        assert len(cells) == 5, f"CHANGELOG.md:{number}: {len(cells)} cells, expected 5"
        row_id, change, breaking, whom, where = cells
        locators = re.findall(r"`([^`]+)`", where)
        rows.append({"line": number, "id": row_id, "change": change, "breaking": breaking,
                     "whom": whom, "where": locators, "where_text": where})
    return rows


def test_changelog_rows_use_the_allowed_vocabulary() -> None:
    rows = changelog_rows()
    assert len(rows) >= 8
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for version in ("v2", "v3"):
        numbers = [int(i[3:]) for i in ids if i.startswith(version)]
        assert numbers == list(range(1, len(numbers) + 1)), f"{version} ids not 01, 02, ..."
    for row in rows:
        where = f"CHANGELOG.md:{row['line']} {row['id']}"
        assert row["breaking"] in BREAKING, where
        assert row["whom"] in WHOM, where
        assert (row["breaking"] == "safe") == (row["whom"] == "nobody"), where
        assert row["change"], where
        assert row["where"], f"{where}: no `locator` in the where column"
        assert re.fullmatch(r"(`[^`]+`)(, `[^`]+`)*", row["where_text"]), where


def locate(doc: dict[str, Any], locator: str) -> bool:
    """Whether the locator names something that exists in the document."""
    match = LOCATOR.match(locator)
    assert match, f"{locator!r} is not a locator"
    if match["servers"]:
        return bool(doc["servers"])
    if match["schema"]:
        schemas = doc["components"]["schemas"]
        if match["schema"] not in schemas:
            return False
        return match["field"] is None or match["field"] in schemas[match["schema"]].get(
            "properties", {})
    ops = list(operations(doc))
    if match["op"] != "*":
        method, path = match["op"].split(" ", 1)
        ops = [o for o in ops if (o[0], o[1]) == (method.lower(), path)]
    for _, _, op in ops:
        if match["param"]:
            if match["param"] in {deref(doc, p)["name"] for p in op.get("parameters", [])}:
                return True
        elif match["code"]:
            codes = list(op["responses"]) if match["code"] == "*" else [match["code"]]
            for code in codes:
                if code in op["responses"] and (
                    not match["header"]
                    or match["header"] in deref(doc, op["responses"][code]).get("headers", {})
                ):
                    return True
        else:
            return True
    return False


def test_changelog_locators_name_things_in_the_old_or_new_contract() -> None:
    for row in changelog_rows():
        new = row["id"][:2]
        old = f"v{int(new[1]) - 1}"
        for locator in row["where"]:
            assert locate(load(old), locator) or locate(load(new), locator), (
                f"CHANGELOG.md:{row['line']} {row['id']}: `{locator}` is in neither {old} nor {new}"
            )


def shape(doc: dict[str, Any], node: Any) -> tuple[Any, ...]:
    """What of a property's schema a change to would matter on the wire."""
    node = deref(doc, node)
    return (node.get("type"), node.get("format"), tuple(node.get("enum", ())),
            node.get("pattern"), node.get("minimum"), node.get("$ref"))


def differences(old: dict[str, Any], new: dict[str, Any]) -> Iterator[tuple[str, ...]]:
    """A small structural diff: the things the CHANGELOG must name (the real tool does more)."""
    if old["servers"] != new["servers"]:
        yield ("servers",)
    old_ops = {(m, p): op for m, p, op in operations(old)}
    new_ops = {(m, p): op for m, p, op in operations(new)}
    for key in old_ops.keys() ^ new_ops.keys():
        yield ("operation", *key)
    for key in old_ops.keys() & new_ops.keys():
        a, b = old_ops[key], new_ops[key]
        params_a = {deref(old, p)["name"]: deref(old, p) for p in a.get("parameters", [])}
        params_b = {deref(new, p)["name"]: deref(new, p) for p in b.get("parameters", [])}
        for name in params_a.keys() | params_b.keys():
            pa, pb = params_a.get(name), params_b.get(name)
            if pa is None or pb is None or pa["required"] != pb["required"]:
                yield ("parameter", *key, name)
        for code in a["responses"].keys() ^ b["responses"].keys():
            yield ("response", *key, code)
        for code in a["responses"].keys() & b["responses"].keys():
            ha = set(deref(old, a["responses"][code]).get("headers", {}))
            hb = set(deref(new, b["responses"][code]).get("headers", {}))
            for header in ha ^ hb:
                yield ("header", *key, code, header)
    old_schemas, new_schemas = old["components"]["schemas"], new["components"]["schemas"]
    for name in old_schemas.keys() | new_schemas.keys():
        a, b = old_schemas.get(name), new_schemas.get(name)
        if a is None or b is None:
            yield ("schema", name)
            continue
        props_a, props_b = a.get("properties", {}), b.get("properties", {})
        for field in props_a.keys() | props_b.keys():
            if (
                field not in props_a
                or field not in props_b
                or shape(old, props_a[field]) != shape(new, props_b[field])
                or (field in a.get("required", [])) != (field in b.get("required", []))
            ):
                yield ("schema", name, field)


def covered(item: tuple[str, ...], locators: list[str]) -> bool:
    """Whether one of the locators names the changed item (wildcards included)."""
    for locator in locators:
        match = LOCATOR.match(locator)
        if match is None:
            continue
        kind = item[0]
        if kind == "servers" or match["servers"]:
            if kind == "servers" and match["servers"]:
                return True
            continue
        if kind == "schema" or match["schema"]:
            if kind == "schema" and match["schema"] == item[1] and (
                match["field"] is None or match["field"] in item[2:]
            ):
                return True
            continue
        if match["op"] not in ("*", f"{item[1].upper()} {item[2]}"):
            continue
        bare = not (match["param"] or match["code"])
        if kind == "operation" or bare:
            # An added or removed operation, or anything inside one, is covered by naming the
            # operation itself; "*" alone would cover everything and is not allowed to.
            if bare and match["op"] != "*":
                return True
            continue
        code_matches = match["code"] in ("*", item[3])
        if kind == "parameter" and match["param"] == item[3]:
            return True
        if kind == "response" and code_matches and not match["header"]:
            return True
        if kind == "header" and code_matches and match["header"] == item[4]:
            return True
    return False


@pytest.mark.parametrize("new", ["v2", "v3"])
def test_changelog_names_every_structural_change(new: str) -> None:
    old = f"v{int(new[1]) - 1}"
    locators = [loc for row in changelog_rows() if row["id"].startswith(new)
                for loc in row["where"]]
    missing = sorted(
        item for item in differences(load(old), load(new)) if not covered(item, locators)
    )
    assert missing == [], f"{old} -> {new} changes the CHANGELOG does not name: {missing}"


def test_changelog_states_the_deprecation_policy() -> None:
    text = CHANGELOG.read_text(encoding="utf-8")
    section = text.split("## Deprecation policy", 1)
    assert len(section) == 2, "CHANGELOG.md needs a '## Deprecation policy' section"
    for word in ("Deprecation", "Sunset", "successor-version", "410"):
        assert word in section[1], f"deprecation policy does not mention {word}"
