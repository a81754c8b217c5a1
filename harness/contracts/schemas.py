"""Compare two schemas on one side (request or response) and list what changed, where.

The walk is recursive over properties, items, additionalProperties and oneOf/anyOf variants.
A pair of schemas already being compared further up is skipped (that is how a cyclic schema
terminates), and every finished pair is memoised, so shared schemas are compared once however
many operations use them. Identical subtrees (equal fingerprints) are skipped outright.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from harness.contracts.fingerprint import Fingerprints
from harness.contracts.locate import Locator
from harness.contracts.schema_view import ANY, Bound, View, Views


@dataclass(frozen=True)
class SchemaFinding:
    """One schema-level change: pointer inside the schema, base rule id and message."""

    pointer: str
    rule: str
    message: str
    schemas: tuple[str, ...] = ()  # "Drawdown.currency": named component + pointer in it
    old_at: str = ""  # file:line:column in the old document ("" until located)
    new_at: str = ""


def _fmt(values: Any) -> str:
    return ", ".join(repr(v) for v in values)


def _covered(kind: str, types: frozenset[str] | None) -> bool:
    if types is None:
        return True
    return kind in types or (kind == "integer" and "number" in types)


def _type_text(types: frozenset[str] | None) -> str:
    return "any" if types is None else "|".join(sorted(types)) or "nothing"


def _lower_stricter(a: Bound | None, b: Bound | None) -> bool:
    """Is lower bound ``b`` stricter than ``a`` (None: unbounded)?"""
    if b is None:
        return False
    if a is None:
        return True
    return b.value > a.value or (b.value == a.value and b.exclusive and not a.exclusive)


def _upper_stricter(a: Bound | None, b: Bound | None) -> bool:
    if b is None:
        return False
    if a is None:
        return True
    return b.value < a.value or (b.value == a.value and b.exclusive and not a.exclusive)


def _bound_text(bound: Bound | None) -> str:
    return "none" if bound is None else f"{bound.value}{' (exclusive)' if bound.exclusive else ''}"


class SchemaComparer:
    """Compares schema pairs; one instance serves a whole document pair (it memoises)."""

    def __init__(self, views: Views | None = None,
                 names: dict[int, str] | None = None, locate: Locator | None = None) -> None:
        self.views = views or Views()
        self.locate = locate or Locator()
        # id(schema object) -> its name in components.schemas, for both documents: refs
        # are resolved to the shared object, so identity tells which component a subtree is
        self.names = names or {}
        self.fingerprints = Fingerprints(self.views)
        self._memo: dict[tuple[int, int, str], list[SchemaFinding]] = {}
        self._active: set[tuple[int, int, str]] = set()

    def same(self, old: Any, new: Any) -> bool:
        """Do two schemas mean the same?"""
        return self.fingerprints.of(old) == self.fingerprints.of(new)

    def compare(self, old: Any, new: Any, side: str) -> list[SchemaFinding]:
        """What changed from ``old`` to ``new``; ``side`` is ``request`` or ``response``."""
        old = ANY if old is None or old is True else old
        new = ANY if new is None or new is True else new
        if self.same(old, new):
            return []
        key = (id(old), id(new), side)
        if key in self._memo:
            return self._memo[key]
        if key in self._active:
            return []  # a cycle: this pair is already being compared further up
        self._active.add(key)
        try:
            found = self._compare(*self._views(old, new), side)
        finally:
            self._active.discard(key)
        found = self._place(old, new, self._locate(old, new, found))
        self._memo[key] = found
        return found

    def _views(self, old: Any, new: Any) -> tuple[View, View]:
        """Both views; flattened when exactly one side is a union (see :meth:`Views.flat`).

        Two unions are compared branch by branch instead (:meth:`_variants`).
        """
        before, after = self.views.of(old), self.views.of(new)
        if bool(before.variants) != bool(after.variants):
            return self.views.flat(old), self.views.flat(new)
        return before, after

    def names_of(self, schema: Any) -> tuple[str, ...]:
        """The component name of ``schema``; for ``allOf: [$ref X, {...}]``, X refined.

        Error responses are written that way (``allOf: [Problem, {status: {const: 404}}]``),
        and a change inside them is a change to the named part.
        """
        name = self.names.get(id(schema))
        if name:
            return (name,)
        if isinstance(schema, dict) and isinstance(schema.get("allOf"), list):
            return tuple(n for part in schema["allOf"] if (n := self.names.get(id(part))))
        return ()

    def _locate(self, old: Any, new: Any, found: list[SchemaFinding]) -> list[SchemaFinding]:
        """Add ``Name<pointer>`` to each finding when ``old`` or ``new`` is a named schema.

        Called on the way back up, so inner names come first: a change to ``amount`` inside
        ``Money`` used as ``CreditLine.limit`` carries ``("Money", "CreditLine.limit")``.
        """
        named = list(dict.fromkeys(self.names_of(old) + self.names_of(new)))
        if not named:
            return found
        out = []
        for f in found:
            extra = tuple(dict.fromkeys(n + f.pointer for n in named
                                        if n + f.pointer not in f.schemas))
            out.append(replace(f, schemas=f.schemas + extra))
        return out

    def _place(self, old: Any, new: Any, found: list[SchemaFinding]) -> list[SchemaFinding]:
        """Findings not yet located (those about this schema itself) are where it is."""
        if all(f.old_at and f.new_at for f in found):
            return found
        old_at, new_at = self.locate.at(old), self.locate.at(new)
        return [f if f.old_at and f.new_at else
                replace(f, old_at=f.old_at or old_at, new_at=f.new_at or new_at)
                for f in found]

    def _nested(self, out: list[SchemaFinding], prefix: str, old: Any, new: Any, side: str) -> None:
        out.extend(replace(f, pointer=prefix + f.pointer) for f in self.compare(old, new, side))

    def _compare(self, old: View, new: View, side: str) -> list[SchemaFinding]:
        out: list[SchemaFinding] = []
        if not self._types(out, old, new):
            return out  # incompatible types: comparing deeper would only add noise
        self._format(out, old, new)
        self._enum(out, old, new)
        self._constraints(out, old, new)
        self._objects(out, old, new, side)
        if old.items is not None or new.items is not None:
            self._nested(out, "[]", old.items, new.items, side)
        self._variants(out, old, new, side)
        return out

    def _types(self, out: list[SchemaFinding], old: View, new: View) -> bool:
        if old.types == new.types:
            return True
        narrowed = old.types is None or any(not _covered(t, new.types) for t in old.types)
        widened = new.types is None or any(not _covered(t, old.types) for t in new.types)
        text = f"type {_type_text(old.types)} -> {_type_text(new.types)}"
        if narrowed and widened:
            out.append(SchemaFinding("", "type-changed", f"type changed: {text}"))
            return False
        out.append(SchemaFinding("", "type-narrowed" if narrowed else "type-widened", text))
        return True

    @staticmethod
    def _format(out: list[SchemaFinding], old: View, new: View) -> None:
        if old.format == new.format:
            return
        if old.format and new.format:
            out.append(SchemaFinding("", "format-changed", f"format {old.format} -> {new.format}"))
        elif new.format:
            out.append(SchemaFinding("", "format-added", f"format {new.format} added"))
        else:
            out.append(SchemaFinding("", "format-removed", f"format {old.format} removed"))

    @staticmethod
    def _enum(out: list[SchemaFinding], old: View, new: View) -> None:
        if old.enum == new.enum:
            return
        if old.enum is None:
            out.append(SchemaFinding("", "constraint-tightened",
                                     f"enum added: {_fmt(new.enum or ())}"))
            return
        if new.enum is None:
            out.append(SchemaFinding("", "constraint-loosened", "enum removed: any value allowed"))
            return
        removed = [v for v in old.enum if v not in new.enum]
        added = [v for v in new.enum if v not in old.enum]
        # a value removed and one added at the same place: one rename (paired in order)
        for before, after in zip(removed, added, strict=False):
            out.append(SchemaFinding("", "enum-value-renamed",
                                     f"enum value {before!r} renamed to {after!r}"))
        paired = min(len(removed), len(added))
        removed, added = removed[paired:], added[paired:]
        if removed:
            out.append(SchemaFinding("", "enum-value-removed",
                                     f"enum value(s) removed: {_fmt(removed)}"))
        if added:
            rule = "extensible-enum-value-added" if new.extensible else "enum-value-added"
            out.append(SchemaFinding("", rule, f"enum value(s) added: {_fmt(added)}"))

    @staticmethod
    def _constraints(out: list[SchemaFinding], old: View, new: View) -> None:
        def report(tighter: bool, looser: bool, what: str) -> None:
            if tighter and looser:
                out.append(SchemaFinding("", "constraint-changed", what))
            elif tighter:
                out.append(SchemaFinding("", "constraint-tightened", what))
            elif looser:
                out.append(SchemaFinding("", "constraint-loosened", what))

        for keyword in sorted(set(old.counts) | set(new.counts)):
            a, b = old.counts.get(keyword), new.counts.get(keyword)
            if a == b:
                continue
            what = f"{keyword} {a if a is not None else 'none'} -> {b if b is not None else 'none'}"
            if keyword.startswith("max"):
                inf = float("inf")
                a_val, b_val = (inf if a is None else a), (inf if b is None else b)
                report(b_val < a_val, b_val > a_val, what)
            else:  # min* and uniqueItems: a larger value accepts less
                report(bool(b or 0) > bool(a or 0) if keyword == "uniqueItems" else
                       (b or 0) > (a or 0), (b or 0) < (a or 0), what)
        if old.lower != new.lower:
            report(_lower_stricter(old.lower, new.lower), _lower_stricter(new.lower, old.lower),
                   f"minimum {_bound_text(old.lower)} -> {_bound_text(new.lower)}")
        if old.upper != new.upper:
            report(_upper_stricter(old.upper, new.upper), _upper_stricter(new.upper, old.upper),
                   f"maximum {_bound_text(old.upper)} -> {_bound_text(new.upper)}")
        if old.patterns or new.patterns:
            SchemaComparer._pattern_union(report, old, new)
        elif old.pattern != new.pattern:
            report(old.pattern is None or new.pattern is not None,
                   new.pattern is None or old.pattern is not None,
                   f"pattern {old.pattern!r} -> {new.pattern!r}")
        if old.multiple_of != new.multiple_of:
            a, b = old.multiple_of, new.multiple_of
            tighter = b is not None and (a is None or (b / a).is_integer())
            looser = a is not None and (b is None or (a / b).is_integer())
            report(tighter, looser, f"multipleOf {a} -> {b}")

    @staticmethod
    def _pattern_union(report: Any, old: View, new: View) -> None:
        """A pattern against a union's several patterns: more alternatives accept more."""
        before = set(old.patterns or ((old.pattern,) if old.pattern else ()))
        after = set(new.patterns or ((new.pattern,) if new.pattern else ()))
        if before == after:
            return
        text = (f"pattern {' | '.join(map(repr, sorted(before))) or 'none'} -> "
                f"{' | '.join(map(repr, sorted(after))) or 'none'}")
        report(bool(after) and (not before or not before <= after),
               bool(before) and (not after or not after <= before), text)

    def _objects(self, out: list[SchemaFinding], old: View, new: View, side: str) -> None:
        mine: list[SchemaFinding] = []
        self._properties(mine, old, new, side)
        for f in mine:  # a property's own findings are where its name is written
            name = f.pointer[1:] if f.pointer.startswith(".") and not f.old_at else ""
            if name and name in (old.properties | new.properties) and "." not in name:
                f = replace(f, old_at=self._key_at(old, name), new_at=self._key_at(new, name))
            out.append(f)

    def _key_at(self, view: View, name: str) -> str:
        owner = view.owners.get(name)
        return self.locate.at(owner, name) if owner is not None else ""

    def _properties(self, out: list[SchemaFinding], old: View, new: View, side: str) -> None:
        if old.additional is not False and new.additional is False:
            out.append(SchemaFinding("", "additional-properties-disallowed",
                                     "additionalProperties: false (undeclared properties refused)"))
        elif old.additional is False and new.additional is not False:
            out.append(SchemaFinding("", "additional-properties-allowed",
                                     "undeclared properties now allowed"))
        elif isinstance(old.additional, dict) and isinstance(new.additional, dict):
            self._nested(out, ".*", old.additional, new.additional, side)
        removed = sorted(set(old.properties) - set(new.properties))
        added = sorted(set(new.properties) - set(old.properties))
        renamed = self._renames(old, new, removed, added)
        for before, after in sorted(renamed.items()):
            out.append(SchemaFinding(f".{before}", "property-renamed",
                                     f"property {before!r} renamed to {after!r} (same schema)"))
        closed = side == "request" and new.additional is False
        for name in removed:
            if name in renamed:
                continue
            if closed:  # old clients still send it, and the object now refuses it
                out.append(SchemaFinding(f".{name}", "closed-property-removed",
                                         f"property {name!r} removed from an object that refuses "
                                         "undeclared properties"))
            else:
                out.append(SchemaFinding(f".{name}", "property-removed",
                                         f"property {name!r} removed"))
        for name in added:
            if name in renamed.values():
                continue
            if name in new.required:
                out.append(SchemaFinding(f".{name}", "required-property-added",
                                         f"required property {name!r} added"))
            else:
                out.append(SchemaFinding(f".{name}", "property-added", f"property {name!r} added"))
        kept = set(old.properties) & set(new.properties)
        unlisted = (old.required | new.required) - set(old.properties) - set(new.properties)
        for name in sorted(kept | unlisted):
            # the edit is in a ``required`` list: point there on the side that lists it
            if name in old.required and name not in new.required:
                out.append(SchemaFinding(f".{name}", "property-became-optional",
                                         f"property {name!r} is no longer required",
                                         old_at=self.locate.at(old.required_node),
                                         new_at=self._key_at(new, name)))
            elif name in new.required and name not in old.required:
                out.append(SchemaFinding(f".{name}", "property-became-required",
                                         f"property {name!r} became required",
                                         old_at=self._key_at(old, name),
                                         new_at=self.locate.at(new.required_node)))
            if name in kept:
                self._nested(out, f".{name}", old.properties[name], new.properties[name], side)

    def _renames(self, old: View, new: View, removed: list[str],
                 added: list[str]) -> dict[str, str]:
        """Pair a removed and an added property with the same schema and required-ness.

        Only unambiguous pairs count: when two removed (or two added) properties share a
        schema, say two plain strings, no rename is guessed and both stay removed/added.
        """
        def key(view: View, name: str) -> tuple[str, bool]:
            return self.fingerprints.of(view.properties[name]), name in view.required

        gone: dict[tuple[str, bool], list[str]] = {}
        for name in removed:
            gone.setdefault(key(old, name), []).append(name)
        came: dict[tuple[str, bool], list[str]] = {}
        for name in added:
            came.setdefault(key(new, name), []).append(name)
        return {names[0]: came[k][0] for k, names in gone.items()
                if len(names) == 1 and len(came.get(k, ())) == 1}

    def _variants(self, out: list[SchemaFinding], old: View, new: View, side: str) -> None:
        """Compare two unions branch by branch; unmatched branches were added or removed."""
        if not old.variants and not new.variants:
            return
        keyword = new.variant_keyword or old.variant_keyword
        pairs, gone, came = self._match_variants(list(old.variants), list(new.variants))
        for a, b in pairs:
            number = next(i for i, v in enumerate(new.variants) if v is b) + 1
            self._nested(out, f"({keyword} {number})", a, b, side)
        for variant in gone:
            out.append(SchemaFinding(f"({keyword})", "variant-removed",
                                     f"{keyword} alternative {self._variant_text(variant, old)} "
                                     "removed"))
        for variant in came:
            out.append(SchemaFinding(f"({keyword})", "variant-added",
                                     f"{keyword} alternative {self._variant_text(variant, new)} "
                                     "added"))

    def _variant_text(self, variant: Any, view: View) -> str:
        names = self.names_of(variant)
        number = next(i for i, v in enumerate(view.variants) if v is variant) + 1
        return f"{number} ({names[0]})" if names else str(number)

    def _match_variants(self, old: list[Any], new: list[Any]
                        ) -> tuple[list[tuple[Any, Any]], list[Any], list[Any]]:
        """Pair branches: same meaning, then same component name, then most alike.

        "Most alike" needs the same types and, for objects, shared property names; two
        branches with nothing in common are reported as one removed and one added.
        """
        pairs: list[tuple[Any, Any]] = []
        for same in (self.same, self._same_name):
            for a in list(old):
                b = next((b for b in new if same(a, b)), None)
                if b is not None:
                    old.remove(a)
                    new.remove(b)
                    if not self.same(a, b):
                        pairs.append((a, b))
        while old and new:
            score, a, b = max(((self._likeness(a, b), a, b) for a in old for b in new),
                              key=lambda t: t[0])
            if score <= 0:
                break
            old.remove(a)
            new.remove(b)
            pairs.append((a, b))
        return pairs, old, new

    def _same_name(self, a: Any, b: Any) -> bool:
        names = self.names_of(a)
        return bool(names) and names == self.names_of(b)

    def _likeness(self, a: Any, b: Any) -> float:
        va, vb = self.views.flat(a), self.views.flat(b)
        if va.types != vb.types:
            return 0.0
        if not va.properties and not vb.properties:
            return 0.5
        shared = set(va.properties) & set(vb.properties)
        return len(shared) / len(set(va.properties) | set(vb.properties))
