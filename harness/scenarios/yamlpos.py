"""YAML loading that remembers where every key and value came from.

ruamel.yaml's round-trip composer gives a node tree with start marks; we turn it into plain JSON
data (dict, list, str, int, float, bool, None) for the JSON Schema pass, plus a position index
from JSON paths to ``file:line:column``. Scalars keep YAML 1.2 core typing, except that
timestamps stay text: scenario times are parsed by :mod:`harness.scenarios.timefmt`, which
insists on an offset.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from fake_core_bank.errors import InputError

#: A JSON path: keys and list indexes from the document root.
JsonPath = tuple[str | int, ...]

#: Caps on what one YAML file may cost (issue 15 item 7). Scenarios, matrices, profiles and
#: baselines are hand-written and small (the largest shipped scenario is under 20 KB, 2,000
#: values, 12 levels), so these leave two orders of magnitude of room while a 2 KB alias bomb
#: or a 50 MB file is refused in well under a second. The same caps guard the PyYAML readers
#: of contract documents and redaction rules (:func:`check_size`, :func:`check_depth`,
#: :func:`check_expansion`); the largest real contract in tests/data (550 KB) has about
#: 25,000 values and 20 levels.
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_VALUES = 200_000
MAX_DEPTH = 64


@dataclass(frozen=True, slots=True, order=True)
class SourceRef:
    """Where something came from: ``scenarios/lock.yaml:14:5`` (line and column are 1-based)."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


def format_json_path(path: JsonPath) -> str:
    """``("timeline", 2, "event")`` -> ``timeline[2].event``; the root is ``(document)``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(document)"


@dataclass
class YamlDocument:
    """JSON data plus the position of every value (and of every mapping key)."""

    path: str
    data: Any
    values: dict[JsonPath, SourceRef] = field(default_factory=dict)
    keys: dict[JsonPath, SourceRef] = field(default_factory=dict)

    def value_ref(self, path: JsonPath) -> SourceRef:
        """Position of the value at ``path``, or of its nearest ancestor that has one."""
        for cut in range(len(path), -1, -1):
            ref = self.values.get(path[:cut])
            if ref is not None:
                return ref
        return SourceRef(self.path, 1, 1)

    def key_ref(self, path: JsonPath) -> SourceRef:
        """Position of the key that names ``path`` (for unknown keys), else of its value."""
        return self.keys.get(path) or self.value_ref(path)

    def where(self, path: JsonPath, *, key: bool = False) -> str:
        """``file:line:column json.path``: the prefix of every error about ``path``."""
        ref = self.key_ref(path) if key else self.value_ref(path)
        return f"{ref} {format_json_path(path)}"


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def syntax_error(display: str, exc: YAMLError) -> InputError:
    """One line for a YAML syntax error: file:line:column, the parser's problem and a fix."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if isinstance(exc, MarkedYAMLError):
        problem = exc.problem or "invalid YAML"
        ctx_mark = exc.context_mark
        if exc.context:  # e.g. "while parsing a flow sequence (started at ...), expected ']'"
            context = exc.context
            if ctx_mark is not None and ctx_mark is not mark:
                context += f" (started at line {ctx_mark.line + 1}, column {ctx_mark.column + 1})"
            problem = f"{context}, {problem}"
    else:
        problem = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
    fix = "fix the YAML near this position: indent with spaces, close quotes and brackets"
    if "'\\t'" in problem:
        fix = "indent with spaces; YAML does not allow tabs for indentation"
    elif "quoted scalar" in problem:
        fix = "close the quote that starts the value, or escape quotes inside it"
    elif "mapping values are not allowed" in problem:
        fix = "quote the whole value: a ': ' inside unquoted text starts a new key"
    elif "another document" in problem:
        fix = "one scenario per file: remove the '---' document separator"
    return InputError(f"{display}:{line}:{column}", f"YAML syntax error: {problem}", fix)


def _unclosed_quote(text: str, last_line: int) -> tuple[int, int, str] | None:
    """(line, column, quote) of the first value that opens a quote it never closes.

    A quoted YAML scalar may span lines, so the parser complains far below the real mistake;
    this finds the line a person should look at.
    """
    for number, line in enumerate(text.splitlines()[: last_line + 1]):
        opening = re.search(r"(?:^\s*(?:-\s+)?|:\s+|-\s+)([\"'])", line)
        if opening is None:
            continue
        quote, start = opening.group(1), opening.start(1)
        rest = line[start + 1 :]
        closed = re.search(r'(?<!\\)"', rest) if quote == '"' else "'" in rest.replace("''", "")
        if not closed:
            return number, start, quote
    return None


def parse_yaml(text: str, display: str) -> YamlDocument:
    """Parse ``text`` (shown as ``display`` in errors) into a positioned document.

    An empty document yields ``data=None``; callers decide whether that is an error.
    """
    check_size(len(text.encode("utf-8", "surrogatepass")), display)
    check_depth(text, display)
    try:
        root = _yaml().compose(text)
    except RecursionError:  # _check_depth bounds flow and block nesting; this is a backstop
        raise _too_deep(display, 1) from None
    except YAMLError as exc:
        error = syntax_error(display, exc)
        mark = getattr(exc, "problem_mark", None)
        unclosed = _unclosed_quote(text, mark.line if mark is not None else len(text))
        if unclosed is not None and "quoted scalar" not in error.problem:
            line, column, quote = unclosed
            error = InputError(
                f"{display}:{line + 1}:{column + 1}",
                f"YAML syntax error: the quote {quote} opened here is not closed on its line "
                f"(the parser stopped at {error.where.rsplit(':', 2)[-2]}:"
                f"{error.where.rsplit(':', 1)[-1]}: "
                f"{error.problem.removeprefix('YAML syntax error: ')})",
                f"close the quote {quote}, or write the value without quotes",
            )
        raise error from None
    doc = YamlDocument(display, None)
    if root is not None:
        doc.data = _Converter(doc).convert(root, ())
    return doc


def check_size(size: int, display: str) -> None:
    """Refuse a file of more than :data:`MAX_FILE_BYTES` (check before reading it)."""
    if size > MAX_FILE_BYTES:
        raise InputError(
            display,
            f"the file is {size:,} bytes, more than the {MAX_FILE_BYTES:,} a Drawbridge YAML "
            "file may have",
            "split it (scenarios can 'include' a fragment), or check that this is the right file",
        )


def _too_many_values(where: str) -> InputError:
    return InputError(
        where,
        f"the document expands to more than {MAX_VALUES:,} values (YAML aliases "
        "'*name' repeat whole subtrees)",
        "write the values out instead of nesting aliases",
    )


def _too_deep(display: str, line: int) -> InputError:
    return InputError(
        f"{display}:{line}:1",
        f"the YAML nests more than {MAX_DEPTH} levels deep",
        "flatten the document; no Drawbridge file needs that many levels",
    )


_OPENERS = re.compile(r"[\[{]")


def check_depth(text: str, display: str) -> None:
    """Refuse runaway nesting before the (recursive) composer sees it.

    Counts flow brackets outside quotes and comments and the indentation of block lines, a
    cheap over-estimate that never misses real nesting; a legitimate file is far below it.
    """
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip(" -")
        if len(line) - len(stripped) > 2 * MAX_DEPTH + 2 * MAX_DEPTH:
            raise _too_deep(display, number)
        if not _OPENERS.search(line) and depth == 0:
            continue
        quote = ""
        for char in line:
            if quote:
                quote = "" if char == quote else quote
            elif char in "\"'":
                quote = char
            elif char == "#":
                break
            elif char in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    raise _too_deep(display, number)
            elif char in "]}":
                depth = max(0, depth - 1)


def check_expansion(root: Any, display: str) -> None:
    """Refuse a composed node graph that would expand to more than :data:`MAX_VALUES` values
    or nest more than :data:`MAX_DEPTH` levels once its aliases are followed.

    For loaders that build data from nodes themselves (PyYAML's, for contract documents and
    redaction rules): their data shares an alias's object, so loading is cheap, but everything
    that walks the result (``$ref`` resolution, JSON output) pays the expanded size. ``root``
    is a PyYAML or ruamel node: ``.value`` is a list of nodes, of ``(key, value)`` pairs, or
    text. Each node is measured once, so a bomb costs its size in the file, not its expansion.
    """
    measured: dict[int, tuple[int, int]] = {}  # id(node) -> (values, levels)
    open_nodes: set[int] = set()

    def measure(node: Any, depth: int) -> tuple[int, int]:
        key = id(node)
        if key in open_nodes:
            raise InputError(f"{display}:{node.start_mark.line + 1}:1",
                             "a YAML alias refers to a node that contains it (a cycle)",
                             "write the value out; a contract cannot contain itself")
        known = measured.get(key)
        if known is None:
            if depth > MAX_DEPTH:
                raise _too_deep(display, node.start_mark.line + 1)
            open_nodes.add(key)
            values, levels = 1, 0
            children = node.value if isinstance(node.value, list) else []
            for child in children:
                for part in child if isinstance(child, tuple) else (child,):
                    sub_values, sub_levels = measure(part, depth + 1)
                    values, levels = values + sub_values, max(levels, sub_levels + 1)
                    if values > MAX_VALUES:
                        raise _too_many_values(f"{display}:{part.start_mark.line + 1}:1")
            open_nodes.discard(key)
            known = measured[key] = (values, levels)
        if depth + known[1] > MAX_DEPTH:
            raise _too_deep(display, node.start_mark.line + 1)
        return known

    if root is not None:
        measure(root, 0)


def load_yaml(path: Path, display: str | None = None) -> YamlDocument:
    """Read and parse a YAML file; a missing or unreadable file is one :class:`InputError`."""
    shown = display or str(path)
    check_size(_file_size(path), shown)  # before reading: a 50 MB file costs nothing
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(
            shown, "file not found", "check the path and the working directory"
        ) from None
    except IsADirectoryError:
        raise InputError(shown, "is a directory, not a YAML file", "name a .yaml file") from None
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{shown}:1:1",
            f"not UTF-8 text ({exc.reason} at byte {exc.start})",
            "save the file as UTF-8",
        ) from None
    except OSError as exc:
        raise InputError(
            shown, f"cannot read: {exc.strerror}", "check the file's permissions"
        ) from None
    return parse_yaml(text, shown)


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # reading reports what is wrong with the path


def _ref(doc: YamlDocument, node: Node) -> SourceRef:
    return SourceRef(doc.path, node.start_mark.line + 1, node.start_mark.column + 1)


class _Converter:
    """Node tree -> JSON data, counting values so aliases cannot expand without bound.

    An alias (``*name``) is the same node again, so a 2 KB file of nested aliases would
    expand to billions of values; the count stops it at :data:`MAX_VALUES`.
    """

    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.count = 0

    def convert(self, node: Node, path: JsonPath) -> Any:
        doc = self.doc
        self.count += 1
        if self.count > MAX_VALUES:
            raise _too_many_values(f"{_ref(doc, node)} {format_json_path(path)}")
        if len(path) > MAX_DEPTH:
            raise _too_deep(doc.path, node.start_mark.line + 1)
        doc.values[path] = _ref(doc, node)
        if isinstance(node, MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    raise InputError(
                        f"{_ref(doc, key_node)} {format_json_path(path)}",
                        "a mapping key must be plain text",
                        "write the key as a word, e.g. 'line:'",
                    )
                key = str(key_node.value)
                if key in result:
                    first = doc.keys[(*path, key)]
                    raise InputError(
                        f"{_ref(doc, key_node)} {format_json_path((*path, key))}",
                        f"duplicate key {key!r} (first at line {first.line})",
                        "keep one of the two; YAML mappings cannot repeat a key",
                    )
                doc.keys[(*path, key)] = _ref(doc, key_node)
                result[key] = self.convert(value_node, (*path, key))
            return result
        if isinstance(node, SequenceNode):
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        return _scalar(node)


def _scalar(node: Node) -> Any:
    text = str(node.value)
    tag = str(node.tag)
    style = getattr(node, "style", None)
    if style is not None and style in "'\"|>":
        return text  # quoted or block scalars are always text
    kind = tag.rsplit(":", 1)[-1]
    if kind == "null":
        return None
    if kind == "bool":
        return text.lower() == "true"
    if kind == "int":
        digits = text.replace("_", "")
        try:
            return int(digits, 0) if not digits.lstrip("+-").startswith("0o") else int(digits, 8)
        except ValueError:
            return int(digits.lstrip("+-").lstrip("0") or "0") * (-1 if text[0] == "-" else 1)
    if kind == "float":
        low = text.lower().replace("_", "")
        if low.endswith(".nan"):
            return math.nan
        if low.endswith(".inf"):
            return -math.inf if low.startswith("-") else math.inf
        return float(low)
    return text


def walk(data: Any, path: JsonPath = ()) -> Iterator[tuple[JsonPath, Any]]:
    """Every (path, value) in ``data``, parents before children, in document order."""
    yield path, data
    if isinstance(data, Mapping):
        for key, value in data.items():
            yield from walk(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from walk(value, (*path, i))
