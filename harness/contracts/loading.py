"""Read a contract file (YAML or JSON) into plain Python data, with one-line errors.

YAML is read with libyaml when available (a 500 KB document in well under a second) and with
a YAML-1.2-like resolver: only ``true``/``false`` are booleans and dates stay strings, so enum
values such as ``NO`` (Norway) or ``2024-01-01`` keep their meaning.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from fake_core_bank.errors import InputError
from harness.scenarios.yamlpos import check_depth, check_expansion, check_size

if TYPE_CHECKING:
    _BaseLoader = yaml.SafeLoader
else:
    # libyaml's CSafeLoader has SafeLoader's interface; PyYAML built without it falls back.
    _BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DuplicateKeyError(yaml.MarkedYAMLError):
    """A mapping names the same key twice: YAML would silently keep the last one."""


class Positions:
    """Where each mapping and list of a document starts, and where each mapping key is.

    Keyed by object identity (the document keeps its objects alive): ``nodes[id(obj)]`` and
    ``keys[(id(mapping), key)]`` are 1-based ``(line, column)``.
    """

    def __init__(self) -> None:
        self.nodes: dict[int, tuple[int, int]] = {}
        self.keys: dict[tuple[int, str], tuple[int, int]] = {}


class _ContractLoader(_BaseLoader):
    """SafeLoader without YAML 1.1's yes/no/on/off booleans and implicit timestamps, and
    refusing duplicate keys (two ``get:`` under one path would silently lose an operation).
    It records where every mapping, list and key is (:class:`Positions`)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.positions = Positions()

    def _mark(self, data: Any, node: Any) -> None:
        self.positions.nodes[id(data)] = (node.start_mark.line + 1, node.start_mark.column + 1)

    def construct_positioned_map(self, node: Any) -> Any:
        data: dict[Any, Any] = {}
        self._mark(data, node)
        keys = self.positions.keys
        for key_node, _value in node.value:
            if isinstance(key_node.value, str):
                mark = key_node.start_mark
                keys[(id(data), key_node.value)] = (mark.line + 1, mark.column + 1)
        yield data
        data.update(self.construct_mapping(node))

    def construct_positioned_seq(self, node: Any) -> Any:
        data: list[Any] = []
        self._mark(data, node)
        yield data
        data.extend(self.construct_sequence(node))

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool):
                continue
            if key in seen:
                raise DuplicateKeyError(problem=f"duplicate key {key!r}",
                                        problem_mark=key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_ContractLoader.add_constructor("tag:yaml.org,2002:map",
                                _ContractLoader.construct_positioned_map)
_ContractLoader.add_constructor("tag:yaml.org,2002:seq",
                                _ContractLoader.construct_positioned_seq)
_ContractLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ContractLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def read_document(path: Path) -> Any:
    """Parse one YAML or JSON file; a missing file or bad syntax is an :class:`InputError`.

    JSON is a subset of YAML, so one parser serves both.
    """
    return read_positioned(path)[0]


def read_positioned(path: Path) -> tuple[Any, Positions]:
    """:func:`read_document` and where each of its mappings, lists and keys is.

    The YAML caps of the scenario loader apply (size before reading, nesting before the
    recursive composer, alias expansion before anything walks the data).
    """
    try:
        check_size(path.stat().st_size, str(path))
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(str(path), "file not found",
                         "check the path; give an OpenAPI document (YAML or JSON)") from None
    except IsADirectoryError:
        raise InputError(str(path), "is a directory, not a file",
                         "give the path of an OpenAPI document") from None
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text ({exc.reason})",
                         "save the document as UTF-8") from None
    check_depth(text, str(path))
    loader = _ContractLoader(text)
    try:
        node = loader.get_single_node()
        check_expansion(node, str(path))
        return (None if node is None else loader.construct_document(node)), loader.positions
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        if isinstance(exc, DuplicateKeyError):
            raise InputError(where, f"{exc.problem} in one mapping (YAML keeps only the last)",
                             "merge the two entries or rename one") from None
        raise InputError(where, f"not valid YAML or JSON: {exc.problem}",
                         "fix the syntax at that line") from None
    except yaml.YAMLError as exc:
        raise InputError(str(path), f"not valid YAML or JSON: {exc}",
                         "fix the syntax") from None
    finally:
        loader.dispose()


def openapi_version(path: Path, document: Any) -> str:
    """The ``openapi`` or ``swagger`` version string, or an InputError saying what this is."""
    if not isinstance(document, dict):
        raise InputError(str(path), f"not an OpenAPI document: the top level is a "
                         f"{type(document).__name__}, not a mapping",
                         "give an OpenAPI 3.x or Swagger 2.0 document")
    version = document.get("openapi", document.get("swagger"))
    if version is None:
        raise InputError(str(path), "not an OpenAPI document: no 'openapi' or 'swagger' key",
                         "give an OpenAPI 3.0/3.1 or Swagger 2.0 document")
    version = str(version)
    if not (version.startswith(("3.0", "3.1")) or version == "2.0"):
        raise InputError(str(path), f"unsupported OpenAPI version {version!r}",
                         "supported: openapi 3.0.x, 3.1.x and swagger 2.0")
    if not isinstance(document.get("paths", {}), dict):
        raise InputError(f"{path} /paths", "expected a mapping of path templates",
                         "write paths as '/items: {get: ...}'")
    return version
