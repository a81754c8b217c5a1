"""Pass one: check a document against the published JSON Schema, report one teaching line.

jsonschema yields every violation; we keep the most relevant one per location
(``best_match``), translate it into ``where: problem; fix: ...`` and return the first in
document order. Pattern failures on money, times, dates and durations are explained by the
parsers themselves, so "1.234 CNY" says "3 decimals but CNY has 2", not "does not match".
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from fake_core_bank import cores
from fake_core_bank.errors import InputError
from harness.scenarios import creditcode
from harness.scenarios.money import Money
from harness.scenarios.schema import build_schema, published_schema
from harness.scenarios.timefmt import parse_at, parse_date, parse_duration, parse_time
from harness.scenarios.yamlpos import JsonPath, SourceRef, YamlDocument, format_json_path

_JSON_TYPES = {
    str: "text",
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    list: "a list",
    dict: "a mapping",
    type(None): "nothing (an empty value)",
}
_EXPECTED = {
    "string": "text",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
}
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)

#: schema title -> a parser that raises the precise InputError for a value the pattern refused.
_EXPLAINERS: dict[str, Callable[[Any, str], object]] = {
    "money": lambda value, where: Money.parse(value, where),
    "time": lambda value, where: parse_time(value, where),
    "date": lambda value, where: parse_date(value, where),
    "duration": lambda value, where: parse_duration(value, where),
    "step time": lambda value, where: parse_at(value, _EPOCH, where),
    "credit code": lambda value, where: _credit_code(value, where),
}


def _credit_code(value: Any, where: str) -> None:
    bad = creditcode.problem(value) if isinstance(value, str) else None
    if bad is not None:
        raise InputError(where, *bad)


def _validator(root: str) -> Draft202012Validator:
    """The scenario schema with the active core model's version names."""
    return _validator_for(root, cores.active().versions)


@functools.cache
def _validator_for(root: str, versions: tuple[str, ...]) -> Draft202012Validator:
    schema = build_schema(versions)
    schema["$ref"] = f"#/$defs/{root}"
    return Draft202012Validator(schema)


def first_error(doc: YamlDocument, root: str = "scenario") -> InputError | None:
    """The first schema violation of ``doc`` (``root`` is ``scenario`` or ``fragment``)."""
    by_location: dict[tuple[str | int, ...], list[ValidationError]] = defaultdict(list)
    for error in _validator(root).iter_errors(doc.data):
        by_location[tuple(error.absolute_path)].append(error)
    found: list[tuple[SourceRef, InputError]] = []
    for errors in by_location.values():
        # An unknown key usually explains a missing one at the same place ("titel" for
        # "title"), so it comes next; otherwise jsonschema's relevance heuristic picks.
        # A composite rule with its own message ("event or do, not both") explains the rest.
        ranked = [e for e in errors if isinstance(e.schema, dict) and "x-problem" in e.schema]
        ranked += [e for e in errors if e.validator == "additionalProperties"]
        chosen = ranked[0] if ranked else best_match(errors)
        if chosen is not None:
            found.append(_translate(doc, chosen))
    if not found:
        return None
    found.sort(key=lambda pair: (pair[0].path != doc.path, pair[0]))
    return found[0][1]


def _describe(value: Any) -> str:
    kind = _JSON_TYPES.get(type(value), type(value).__name__)
    if isinstance(value, dict | list) or value is None:
        return kind
    return f"{kind} {value!r}"


def _keys_at(data: Any, path: JsonPath) -> list[str]:
    """The keys of the mapping at ``path`` of ``data`` (none when it is not a mapping)."""
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return []
    return [str(k) for k in data] if isinstance(data, dict) else []


def _at(doc: YamlDocument, path: JsonPath, *, key: bool = False) -> tuple[SourceRef, str]:
    ref = doc.key_ref(path) if key else doc.value_ref(path)
    return ref, doc.where(path, key=key)


def _translate(doc: YamlDocument, error: ValidationError) -> tuple[SourceRef, InputError]:
    path: JsonPath = tuple(error.absolute_path)
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    # A validator's errors always carry both; the stubs also allow the unset marker of a
    # hand-built ValidationError, which never reaches here.
    value: Any = error.instance
    rule: Any = error.validator_value
    validator = str(error.validator)
    title = str(schema.get("title", ""))
    example = (schema.get("examples") or [None])[0]
    ref, where = _at(doc, path)
    if isinstance(value, str) and value in _keys_at(doc.data, path):
        # a propertyNames error (byVersion's keys): it names the object, point at the key
        ref, where = _at(doc, (*path, value), key=True)

    if "x-problem" in schema:
        return ref, InputError(where, schema["x-problem"], schema.get("x-fix"))
    if validator == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        extra = next(k for k in value if k not in allowed)
        ref, where = _at(doc, (*path, extra), key=True)
        return ref, InputError.for_unknown_name(where, "key", extra, allowed)
    if validator == "required":
        missing = next(k for k in rule if k not in value)
        prop = schema.get("properties", {}).get(missing, {})
        hint = _example_of(prop)
        if hint and (":" in hint or hint.isdigit()):
            hint = f'"{hint}"'  # as it must be written in YAML
        fix = f"add '{missing}: {hint}'" if hint else f"add '{missing}:'"
        where = f"{ref} {format_json_path((*path, missing))}"
        return ref, InputError(where, f"missing required key {missing!r}", fix)
    if validator == "enum":
        known = [str(x) for x in rule]
        if isinstance(value, str):
            return ref, InputError.for_unknown_name(where, title or "value", value, known)
        return ref, InputError(
            where,
            f"expected {title or 'one of the listed values'}, found {_describe(value)}",
            "write one of: " + ", ".join(known),
        )
    if validator == "const":
        return ref, InputError(
            where,
            f"expected {rule!r}, found {_describe(value)}",
            f"write {rule!r}",
        )
    if title in _EXPLAINERS and validator in ("type", "pattern"):
        try:
            _EXPLAINERS[title](value, where)
        except InputError as exc:
            return ref, exc
    if validator == "type":
        expected = rule
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_EXPECTED.get(n, n) for n in names)
        fix = f"write {wanted}" + (f", e.g. {example!r}" if example else "")
        if "string" in names and isinstance(value, int | float) and not isinstance(value, bool):
            fix = f"quote it: '{value}'"
        elif names == ["array"] and isinstance(value, str | int | float):
            fix = f"write a list: [{value}]"
        elif value is None:
            fix = "fill in the value" + (f", e.g. {example!r}" if example else "")
        return ref, InputError(where, f"expected {wanted}, found {_describe(value)}", fix)
    if validator == "pattern":
        what = title or "value"
        return ref, InputError(
            where,
            f"{value!r} is not a valid {what} (pattern {rule})",
            f"write e.g. {example!r}" if example else f"match {rule}",
        )
    if validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        bound = rule
        words = {
            "minimum": f">= {bound}",
            "maximum": f"<= {bound}",
            "exclusiveMinimum": f"> {bound}",
            "exclusiveMaximum": f"< {bound}",
        }[validator]
        shown = value if not (isinstance(value, float) and not math.isfinite(value)) else str(value)
        return ref, InputError(where, f"{shown} is out of range", f"use a value {words}")
    if validator == "minItems":
        if not value:
            fix = "add at least one step" if path == ("timeline",) else "add an item or remove it"
            return ref, InputError(where, "the list is empty", fix)
        return ref, InputError(where, f"needs at least {rule} items", "add items")
    if validator == "uniqueItems":
        seen: list[Any] = []
        for item in value:
            if item in seen:
                return ref, InputError(where, f"{item!r} is listed twice", "list it once")
            seen.append(item)
    if validator == "minLength":
        return ref, InputError(where, "is empty", "write some text or remove the key")
    return ref, InputError(where, " ".join(error.message.split()), None)


def _example_of(prop: dict[str, Any]) -> str | None:
    if "$ref" in prop:
        target = published_schema()["$defs"].get(prop["$ref"].rsplit("/", 1)[-1], {})
        prop = target
    if prop.get("examples"):
        return str(prop["examples"][0])
    if prop.get("enum"):
        return str(prop["enum"][0])
    if prop.get("type") == "array":
        return "[...]"
    return None
