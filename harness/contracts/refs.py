"""Resolve every ``$ref`` once, in place, so comparisons see one object graph.

Each ``{"$ref": ...}`` slot is replaced by the very object it points at, local
(``#/components/schemas/Line``) or in a relative file (``common.yaml#/Money``). Shared schemas
stay shared and a cyclic schema becomes a cycle of Python objects: walkers must carry a visited
set (the comparison does). Resolving once with memoisation keeps a 500 KB document linear.

Limit: keys next to a ``$ref`` (allowed in OpenAPI 3.1) are dropped; they are annotations in
every document we have seen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from fake_core_bank.errors import InputError
from harness.contracts.loading import Positions, read_positioned

# Values under these keys are free-form data, never OpenAPI structure to resolve.
_OPAQUE_KEYS = frozenset({"example", "examples", "default", "enum", "const"})


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _is_ref(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get("$ref"), str)


class RefResolver:
    """Loads documents and replaces their ``$ref`` slots, each file once.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.yaml").write_text("x: {$ref: '#/y'}\\ny: {type: string}\\n")
    >>> doc = RefResolver().load(d / "a.yaml")
    >>> doc["x"] is doc["y"]
    True
    """

    def __init__(self, show: Callable[[str], str] | None = None) -> None:
        self._documents: dict[Path, Any] = {}
        self._shown: dict[Path, str] = {}
        self._positions: list[tuple[str, Positions]] = []
        self._show = show or str  # how a file is named in locations (``REF:path`` for git)

    def load(self, path: Path) -> Any:
        """The document at ``path`` with every reachable ``$ref`` resolved."""
        key = path.resolve()
        if key in self._documents:
            return self._documents[key]
        # errors name the path as the user gave it
        document, positions = read_positioned(path)
        self._documents[key] = document  # registered first: files may refer to each other
        self._shown[key] = str(path)
        self._positions.append((self._show(str(path)), positions))
        for container, slot, pointer in self._ref_slots(document):
            ref = container[slot]
            if not _is_ref(ref):
                continue  # a YAML alias reached this slot twice; it is resolved already
            container[slot] = self._target(key, ref["$ref"], pointer)
            # the $ref object is gone: its identity may be reused by an object made later
            positions.nodes.pop(id(ref), None)
            positions.keys.pop((id(ref), "$ref"), None)
        return document

    def where(self, node: Any, key: str | None = None) -> str:
        """``file:line:column`` of ``node`` (of its ``key`` when given), or "" if unknown."""
        for shown, positions in self._positions:
            found = (positions.nodes.get(id(node)) if key is None
                     else positions.keys.get((id(node), key)))
            if found is not None:
                return f"{shown}:{found[0]}:{found[1]}"
        return ""

    @staticmethod
    def _ref_slots(document: Any) -> list[tuple[Any, Any, str]]:
        """Every (container, key, JSON pointer) whose value is a ``$ref`` object."""
        slots: list[tuple[Any, Any, str]] = []
        stack: list[tuple[Any, str]] = [(document, "")] if isinstance(document, dict | list) else []
        while stack:
            node, pointer = stack.pop()
            items = node.items() if isinstance(node, dict) else enumerate(node)
            for key, child in items:
                if not isinstance(child, dict | list):
                    continue
                child_pointer = f"{pointer}/{_escape(str(key))}"
                if _is_ref(child):
                    slots.append((node, key, child_pointer))
                elif not (isinstance(node, dict) and key in _OPAQUE_KEYS) and not (
                        isinstance(key, str) and key.startswith("x-")):
                    stack.append((child, child_pointer))
        slots.reverse()  # document order, so the first bad ref reported is the first one
        return slots

    def _target(self, path: Path, ref: str, pointer: str) -> Any:
        """Follow ``ref`` (and any chain of refs) to a real object."""
        seen: set[tuple[Path, str]] = set()
        where = f"{self._shown.get(path, path)} #{pointer}/$ref"
        current_path, current_ref = path, ref
        while True:
            file_part, _, fragment = current_ref.partition("#")
            target_path = (current_path.parent / unquote(file_part)) if file_part else current_path
            if (target_path, fragment) in seen:
                raise InputError(where, f"$ref {ref!r} is a cycle of references that never "
                                 "reaches a schema", "point one of them at a real object")
            seen.add((target_path, fragment))
            if file_part:
                if not target_path.is_file():
                    raise InputError(where, f"$ref {ref!r} cannot be resolved: file "
                                     f"{target_path} not found",
                                     "fix the file name, relative to the referring file")
                target_document = self.load(target_path)
                target_path = target_path.resolve()
            else:
                target_document = self._documents[current_path]
            node = self._lookup(target_document, fragment, where, ref)
            if not _is_ref(node):
                return node
            current_path, current_ref = target_path, node["$ref"]

    def _owner(self, document: Any) -> Path:
        return next(p for p, d in self._documents.items() if d is document)

    def _lookup(self, document: Any, fragment: str, where: str, ref: str) -> Any:
        node = document
        tokens = [t for t in fragment.split("/")[1:]] if fragment.startswith("/") else []
        if fragment and not fragment.startswith("/"):
            raise InputError(where, f"$ref {ref!r} cannot be resolved: only JSON-pointer "
                             "fragments ('#/components/...') are supported",
                             "write the reference as a JSON pointer")
        for depth, raw in enumerate(tokens):
            token = unquote(raw).replace("~1", "/").replace("~0", "~")
            if _is_ref(node):
                node = self._target(self._owner(document), node["$ref"], "")
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, dict) and token.isdigit() and int(token) in node:
                node = node[int(token)]  # YAML reads response codes such as 200 as integers
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                found = "/".join(tokens[:depth]) or "(root)"
                raise InputError(where, f"$ref {ref!r} cannot be resolved: no "
                                 f"{token!r} under #/{found}",
                                 "fix the pointer or add the missing definition")
        return node
