"""Load one scenario file: YAML with positions, includes, schema pass, semantic pass.

>>> scenario = load_scenario(Path("scenarios/line-state/lock-period-case-study.yaml"))
>>> scenario.given.lines[0].limit
Money(minor=30000000, currency='CNY')

Every failure is one :class:`~fake_core_bank.errors.InputError` line such as
``scenarios/lock.yaml:14:5 timeline[2].event: unknown event 'frezee'; fix: did you mean 'freeze'?``

Scenarios written from code (shrinker, explorer, recordings, bundles) load through
:func:`load_scenario_text` and :func:`reload_scenario`, the same checks as a file on disk, so a
scenario they write is one ``drawbridge run`` accepts.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path
from typing import Any

from fake_core_bank import cores
from fake_core_bank.errors import InputError
from harness.paths import in_library, library_name
from harness.scenarios.build import Builder
from harness.scenarios.dump import dump_scenario
from harness.scenarios.model import Scenario
from harness.scenarios.structure import first_error
from harness.scenarios.translate import to_core
from harness.scenarios.vocabulary import FORMAT, FRAGMENT_FORMAT
from harness.scenarios.yamlpos import JsonPath, YamlDocument, load_yaml, parse_yaml

#: Lists under ``given`` that merge item by item on ``id`` when a file includes another.
_MERGE_BY_ID = ("customers", "lines", "policies")


def display_path(path: Path) -> str:
    """How reports and errors name a file: a library scenario by its library name (the same
    from any directory, harness.paths), others relative to the working directory when under
    it."""
    name = library_name(path)
    if name is not None:
        return name
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path) if not path.is_absolute() else str(path.resolve())


def load_scenario(path: Path | str) -> Scenario:
    """Load, check and type one scenario file; raise one-line :class:`InputError` on bad input."""
    path = Path(path)
    doc = read_document(path)
    check_format(doc, FORMAT)
    doc = resolve_includes(doc, path, [path.resolve()])
    if in_library(path):  # the library names versions as the built-in core does
        doc = replace(doc, data=to_core(doc.data, cores.active(), doc.where(())))
    problem = first_error(doc, "scenario")
    if problem is not None:
        raise problem
    return Builder(doc).scenario()


def load_scenario_text(text: str, display: str) -> Scenario:
    """Load scenario YAML held in memory (no includes); errors name ``display``."""
    doc = parse_yaml(text, display)
    check_format(doc, FORMAT)
    problem = first_error(doc, "scenario")
    if problem is not None:
        raise problem
    return Builder(doc).scenario()


def reload_scenario(scenario: Scenario, display: str = "<generated>") -> Scenario:
    """``scenario`` dumped and loaded again: raises InputError when it would not load."""
    return load_scenario_text(dump_scenario(scenario), display)


def read_document(path: Path) -> YamlDocument:
    """Parse ``path``; refuse empty files and anything but a mapping at the top."""
    shown = display_path(path)
    doc = load_yaml(path, shown)
    if doc.data is None:
        raise InputError(
            f"{shown}:1:1",
            "the file is empty (no YAML document)",
            f"write a scenario starting with 'format: {FORMAT}'",
        )
    if not isinstance(doc.data, dict):
        found = "a list" if isinstance(doc.data, list) else f"the value {doc.data!r}"
        raise InputError(
            f"{doc.value_ref(())} (document)",
            f"expected a mapping of keys (format, id, title, ...), found {found}",
            f"start the file with 'format: {FORMAT}' and write keys at the top level",
        )
    return doc


def check_format(doc: YamlDocument, expected: str) -> None:
    """The ``format`` key first: an unsupported version should not drown in other errors."""
    data = doc.data
    if "format" not in data:
        raise InputError(
            f"{doc.value_ref(())} format",
            "missing required key 'format'",
            f"add 'format: {expected}' as the first line",
        )
    found = data["format"]
    where = doc.where(("format",))
    if found == expected:
        return
    if found == FRAGMENT_FORMAT:
        raise InputError(
            where,
            "this file is an include fragment, not a scenario",
            "include it from a scenario ('include: <path>'), or load the scenario that does",
        )
    if isinstance(found, str) and found.startswith(expected.split("@")[0] + "@"):
        raise InputError(
            where,
            f"unsupported format version {found!r}",
            f"this Drawbridge reads {expected}: write 'format: {expected}'",
        )
    raise InputError(where, f"unknown format {found!r}", f"write 'format: {expected}'")


def resolve_includes(doc: YamlDocument, path: Path, chain: list[Path]) -> YamlDocument:
    """Merge the ``given`` of the file named by ``include`` (recursively) under this one's.

    ``chain`` holds the resolved paths being loaded, to report a cycle by its members.
    """
    target_text = doc.data.get("include")
    if not isinstance(target_text, str) or not target_text:
        return doc  # absent, or wrong type: the schema pass reports it
    where = doc.where(("include",))
    target = (path.parent / target_text).resolve()
    if target in chain:
        names = " -> ".join(display_path(p) for p in [*chain, target])
        raise InputError(where, f"include cycle: {names}", "remove one include of the cycle")
    if not target.is_file():
        raise InputError(
            where,
            f"included file {display_path(target)!r} not found",
            f"the path is relative to {display_path(path.parent)}/; check its spelling",
        )
    base = read_document(target)
    check_format(base, FRAGMENT_FORMAT)
    base = resolve_includes(base, target, [*chain, target])
    problem = first_error(base, "fragment")
    if problem is not None:
        raise problem
    return merge_given(base, doc)


def _copy_positions(
    src: YamlDocument, src_path: JsonPath, dst: YamlDocument, dst_path: JsonPath
) -> None:
    n = len(src_path)
    for table, out in ((src.values, dst.values), (src.keys, dst.keys)):
        for key, ref in table.items():
            if key[:n] == src_path:
                out[dst_path + key[n:]] = ref


def _drop_positions(doc: YamlDocument, prefix: JsonPath) -> None:
    n = len(prefix)
    for table in (doc.values, doc.keys):
        for key in [k for k in table if k[:n] == prefix and len(k) > n]:
            del table[key]


def merge_given(base: YamlDocument, top: YamlDocument) -> YamlDocument:
    """A copy of ``top`` whose ``given`` is ``base.given`` overlaid with ``top.given``.

    Keys of ``top`` win; ``customers``, ``lines`` and ``policies`` merge by ``id`` (an item
    with the same id replaces the included one in place, new ids are appended); ``bank``
    merges key by key. Positions keep pointing at the file each value came from.
    """
    base_given = base.data.get("given") or {}
    top_given = top.data.get("given", {})
    if not isinstance(base_given, dict) or not isinstance(top_given, dict):
        return top
    merged = YamlDocument(top.path, copy.deepcopy(top.data), dict(top.values), dict(top.keys))
    out: dict[str, Any] = {}
    _drop_positions(merged, ("given",))
    if "given" not in top.data:
        merged.values[("given",)] = base.value_ref(("given",))
        merged.keys[("given",)] = base.key_ref(("given",))
    keys = list(base_given) + [k for k in top_given if k not in base_given]
    for key in keys:
        dst: JsonPath = ("given", key)
        in_top, in_base = key in top_given, key in base_given
        if key in _MERGE_BY_ID and in_top and in_base and _lists(base_given[key], top_given[key]):
            out[key] = _merge_items(base, top, merged, key, base_given[key], top_given[key])
        elif key == "bank" and in_top and in_base and _dicts(base_given[key], top_given[key]):
            out[key] = {}
            _copy_positions(top, dst, merged, dst)
            for sub in list(base_given[key]) + [
                k for k in top_given[key] if k not in base_given[key]
            ]:
                source = top if sub in top_given[key] else base
                out[key][sub] = copy.deepcopy(source.data["given"][key][sub])
                _copy_positions(source, (*dst, sub), merged, (*dst, sub))
        else:
            source = top if in_top else base
            out[key] = copy.deepcopy(source.data["given"][key])
            _copy_positions(source, dst, merged, dst)
    merged.data["given"] = out
    return merged


def _lists(a: Any, b: Any) -> bool:
    return isinstance(a, list) and isinstance(b, list)


def _dicts(a: Any, b: Any) -> bool:
    return isinstance(a, dict) and isinstance(b, dict)


def _merge_items(
    base: YamlDocument,
    top: YamlDocument,
    merged: YamlDocument,
    key: str,
    base_items: list[Any],
    top_items: list[Any],
) -> list[Any]:
    # (document, index in that document's list) for each merged item, in order.
    slots: list[tuple[YamlDocument, int]] = [(base, i) for i in range(len(base_items))]
    ids = [item.get("id") if isinstance(item, dict) else None for item in base_items]
    for i, item in enumerate(top_items):
        item_id = item.get("id") if isinstance(item, dict) else None
        if item_id is not None and item_id in ids:
            slots[ids.index(item_id)] = (top, i)
        else:
            slots.append((top, i))
            ids.append(item_id)
    merged.values[("given", key)] = top.value_ref(("given", key))
    merged.keys[("given", key)] = top.key_ref(("given", key))
    result = []
    for j, (source, i) in enumerate(slots):
        result.append(copy.deepcopy(source.data["given"][key][i]))
        _copy_positions(source, ("given", key, i), merged, ("given", key, j))
    return result
