"""A normalised reading of one JSON Schema object, so comparison sees meaning, not spelling.

OpenAPI 3.0 ``nullable: true`` and Swagger's ``x-nullable`` become a ``"null"`` type; 3.0's
boolean ``exclusiveMinimum`` becomes 3.1's numeric bound; ``const`` is a one-value enum;
``allOf`` parts are merged into one object; a schema with ``properties`` but no ``type`` is an
object, one with ``items`` an array. Views are memoised per schema object.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

#: stands for "no schema": anything is valid
ANY: dict[str, Any] = {}


@dataclass
class Bound:
    """A numeric bound: its value and whether it is exclusive."""

    value: float
    exclusive: bool


@dataclass
class View:
    """The parts of a schema that decide which values are valid."""

    types: frozenset[str] | None = None  # None: any type
    format: str | None = None
    enum: tuple[Any, ...] | None = None
    extensible: bool = False
    properties: dict[str, Any] = field(default_factory=dict)
    #: the ``properties`` mapping (as written) each property comes from, to locate it
    owners: dict[str, Any] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    required_node: Any = None  # the ``required`` list as written, to locate changes to it
    additional: Any = True  # True, False or a schema
    items: Any = None
    lower: Bound | None = None
    upper: Bound | None = None
    counts: dict[str, Any] = field(default_factory=dict)  # maxLength, minItems, ...
    pattern: str | None = None
    multiple_of: float | None = None
    variants: tuple[Any, ...] = ()
    variant_keyword: str = ""
    #: set only on a flattened union whose branches disagree on the pattern: each one
    patterns: tuple[str, ...] = ()


COUNT_KEYWORDS = ("maxLength", "minLength", "maxItems", "minItems", "maxProperties",
                  "minProperties", "uniqueItems")


def _types(schema: dict[str, Any]) -> frozenset[str] | None:
    raw = schema.get("type")
    if raw is None:
        if "properties" in schema or "additionalProperties" in schema:
            raw = "object"
        elif "items" in schema:
            raw = "array"
        else:
            return None
    types = {str(t) for t in (raw if isinstance(raw, list) else [raw])}
    if schema.get("nullable") is True or schema.get("x-nullable") is True:
        types.add("null")
    return frozenset(types)


def _bound(schema: dict[str, Any], plain: str, exclusive: str) -> Bound | None:
    excl = schema.get(exclusive)
    if isinstance(excl, bool):  # OpenAPI 3.0 / Swagger: a flag on minimum/maximum
        return Bound(schema[plain], excl) if isinstance(schema.get(plain), int | float) else None
    candidates = []
    if isinstance(schema.get(plain), int | float):
        candidates.append(Bound(schema[plain], False))
    if isinstance(excl, int | float):
        candidates.append(Bound(excl, True))
    if not candidates:
        return None
    # both given: the stricter one decides (the larger minimum, the smaller maximum)
    if plain == "minimum":
        return max(candidates, key=lambda b: (b.value, b.exclusive))
    return min(candidates, key=lambda b: (b.value, not b.exclusive))


def _same(values: list[Any]) -> Any:
    """The one value every branch agrees on, or None."""
    return values[0] if values and all(v == values[0] for v in values) else None


def _union_enum(parts: list[View]) -> tuple[Any, ...] | None:
    if not parts or any(p.enum is None for p in parts):
        return None  # one branch takes any value: the union does too
    seen: list[Any] = []
    for part in parts:
        seen += [v for v in part.enum or () if v not in seen]
    return tuple(seen)


class Views:
    """Memoised :class:`View` per schema object (keyed by identity: refs are shared objects)."""

    def __init__(self) -> None:
        self._memo: dict[int, View] = {}
        self._flat: dict[int, View] = {}
        self._active: set[int] = set()
        self._keep: list[Any] = []  # keep keyed objects alive so ids stay unique

    def of(self, schema: Any) -> View:
        """The view of ``schema`` (None, True and {} mean anything; False means nothing)."""
        if schema is False:
            return View(types=frozenset())
        if not isinstance(schema, dict):
            return View()
        key = id(schema)
        if key in self._memo:
            return self._memo[key]
        if key in self._active:  # allOf cycle: the outer call has the full view
            return View()
        self._active.add(key)
        try:
            view = self._build(schema)
        finally:
            self._active.discard(key)
        self._memo[key] = view
        self._keep.append(schema)
        return view

    def flat(self, schema: Any) -> View:
        """What a ``oneOf``/``anyOf`` accepts as a whole, read as one schema.

        A union of strings is a string; the enum is every branch's values (when every branch
        has one); a property required in every branch is required; the properties are those
        of all branches. Used when only one side of a comparison is a union, so that
        ``type: string`` and ``oneOf: [{type: string, pattern: A}, {...}]`` compare as strings.
        The result has no variants of its own.
        """
        view = self.of(schema)
        if not view.variants:
            return view
        key = id(schema)
        if key in self._flat:
            return self._flat[key]
        self._flat[key] = view  # a union that contains itself: stop at the plain view
        parts = [self.flat(v) for v in view.variants]
        flat = replace(view, variants=(), variant_keyword="", properties=dict(view.properties),
                       owners=dict(view.owners))
        if view.types is None and all(p.types is not None for p in parts):
            flat.types = frozenset().union(*(p.types or () for p in parts))
        if view.enum is None:
            flat.enum = _union_enum(parts)
        for attr in ("format", "items", "multiple_of"):
            if getattr(view, attr) is None:
                setattr(flat, attr, _same([getattr(p, attr) for p in parts]))
        if view.pattern is None and all(p.pattern for p in parts):
            flat.pattern = _same([p.pattern for p in parts])
            if flat.pattern is None:
                flat.patterns = tuple(dict.fromkeys(str(p.pattern) for p in parts))
        for part in parts:
            for name, sub in part.properties.items():
                flat.properties.setdefault(name, sub)
                flat.owners.setdefault(name, part.owners.get(name))
        flat.required = view.required | frozenset.intersection(*(p.required for p in parts))
        self._flat[key] = flat
        return flat

    def _build(self, schema: dict[str, Any]) -> View:
        enum = schema.get("enum")
        extensible = False
        if enum is None and isinstance(schema.get("x-extensible-enum"), list):
            enum, extensible = schema["x-extensible-enum"], True
        if enum is None and "const" in schema:
            enum = [schema["const"]]
        additional = schema.get("additionalProperties", True)
        written = schema.get("properties") or {}
        view = View(
            types=_types(schema),
            format=str(schema["format"]) if schema.get("format") is not None else None,
            enum=tuple(enum) if isinstance(enum, list) else None,
            extensible=extensible or schema.get("x-extensible") is True,
            properties=dict(written),
            owners=dict.fromkeys(written, written) if isinstance(written, dict) else {},
            required=frozenset(map(str, schema.get("required") or ())),
            required_node=schema.get("required"),
            additional=True if additional is None or additional == {} else additional,
            items=schema.get("items"),
            lower=_bound(schema, "minimum", "exclusiveMinimum"),
            upper=_bound(schema, "maximum", "exclusiveMaximum"),
            counts={k: schema[k] for k in COUNT_KEYWORDS if k in schema},
            pattern=str(schema["pattern"]) if schema.get("pattern") is not None else None,
            multiple_of=schema.get("multipleOf"),
        )
        for keyword in ("oneOf", "anyOf"):
            if isinstance(schema.get(keyword), list):
                view.variants, view.variant_keyword = tuple(schema[keyword]), keyword
        for part in schema.get("allOf") or ():
            self._merge(view, self.of(part))
        return view

    @staticmethod
    def _merge(view: View, part: View) -> None:
        """Fold one allOf part into ``view``: both must hold, so constraints add up."""
        if part.types is not None:
            view.types = part.types if view.types is None else view.types & part.types
        for name, sub in part.properties.items():
            view.properties.setdefault(name, sub)
            view.owners.setdefault(name, part.owners.get(name))
        view.required |= part.required
        if view.required_node is None:
            view.required_node = part.required_node
        if part.additional is not True and view.additional is True:
            view.additional = part.additional
        for attr in ("format", "enum", "items", "lower", "upper", "pattern", "multiple_of"):
            if getattr(view, attr) is None and getattr(part, attr) is not None:
                setattr(view, attr, getattr(part, attr))
        view.extensible = view.extensible or part.extensible
        for key, value in part.counts.items():
            view.counts.setdefault(key, value)
        if not view.variants and part.variants:
            view.variants, view.variant_keyword = part.variants, part.variant_keyword
