"""A digest of what a schema means, for "same schema?" questions in linear time.

Two schemas with equal fingerprints accept the same values as far as the comparison can tell:
annotations (description, title, examples) are left out, and ``$ref`` versus an inlined copy
makes no difference because references are already resolved to shared objects. Used to skip
identical subtrees fast and to pair a removed and an added property as a rename.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from harness.contracts.schema_view import View, Views


class Fingerprints:
    """Memoised digests; a schema that reaches itself digests the back edge as its depth."""

    def __init__(self, views: Views) -> None:
        self._views = views
        self._memo: dict[int, str] = {}
        self._stack: list[int] = []

    def of(self, schema: Any) -> str:
        """The hex digest of ``schema``'s meaning."""
        if not isinstance(schema, dict):
            return "false" if schema is False else "any"
        key = id(schema)
        if key in self._memo:
            return self._memo[key]
        if key in self._stack:
            return f"cycle:{len(self._stack) - self._stack.index(key)}"
        self._stack.append(key)
        try:
            digest = self._digest(self._views.of(schema))
        finally:
            self._stack.pop()
        self._memo[key] = digest
        return digest

    def _digest(self, view: View) -> str:
        parts = {
            "types": sorted(view.types) if view.types is not None else None,
            "format": view.format,
            "enum": sorted(map(repr, view.enum)) if view.enum is not None else None,
            "ext": view.extensible,
            "props": {name: self.of(sub) for name, sub in sorted(view.properties.items())},
            "req": sorted(view.required),
            "add": view.additional if isinstance(view.additional, bool)
            else self.of(view.additional),
            "items": self.of(view.items) if view.items is not None else None,
            "lower": [view.lower.value, view.lower.exclusive] if view.lower else None,
            "upper": [view.upper.value, view.upper.exclusive] if view.upper else None,
            "counts": sorted(view.counts.items()),
            "pattern": view.pattern,
            "mult": view.multiple_of,
            "variants": sorted(self.of(v) for v in view.variants),
            "vk": view.variant_keyword,
        }
        text = json.dumps(parts, sort_keys=True, default=repr)
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
