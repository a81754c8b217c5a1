"""Reading small YAML configuration files (profiles, baselines, matrices) with positions.

Every error names ``file:line:column key``, what was expected and the fix, in one line.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from fake_core_bank.errors import InputError
from harness.scenarios.loader import display_path
from harness.scenarios.yamlpos import JsonPath, YamlDocument, format_json_path, load_yaml


class ConfigFile:
    def __init__(self, path: Path, fmt: str, allowed: tuple[str, ...]) -> None:
        if not path.is_file():
            raise InputError(str(path), "no such file", "check the path")
        self.path = path
        self.doc: YamlDocument = load_yaml(path, display_path(path))
        if not isinstance(self.doc.data, dict):
            raise InputError(self.where(()), "expected a mapping at the top of the file",
                             f"start with 'format: {fmt}'")
        found = self.doc.data.get("format")
        if found != fmt:
            raise InputError(self.where(("format",)), f"format {found!r} is not {fmt!r}",
                             f"write 'format: {fmt}'")
        self.keys(self.doc.data, (), ("format", *allowed))

    def where(self, path: JsonPath) -> str:
        return f"{self.doc.value_ref(path)} {format_json_path(path)}"

    def keys(self, mapping: dict[str, Any], path: JsonPath, allowed: tuple[str, ...]) -> None:
        for key in mapping:
            if key not in allowed:
                raise InputError.for_unknown_name(self.where((*path, key)), "key", key, allowed)

    def get(self, mapping: dict[str, Any], path: JsonPath, key: str, kind: type,
            *, required: bool = True, default: Any = None) -> Any:
        if key not in mapping:
            if required:
                raise InputError(self.where(path), f"missing required key {key!r}",
                                 f"add '{key}:'")
            return default
        value = mapping[key]
        if kind is date:
            if isinstance(value, str):
                try:
                    return date.fromisoformat(value)
                except ValueError:
                    pass
            raise InputError(self.where((*path, key)), f"{value!r} is not a date",
                             "write a date like 2026-12-31")
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise InputError(self.where((*path, key)),
                             f"expected {kind.__name__}, found {type(value).__name__}",
                             f"give {key} a {kind.__name__}")
        return value

    def strings(self, mapping: dict[str, Any], path: JsonPath, key: str,
                *, required: bool = True) -> list[str]:
        values = self.get(mapping, path, key, list, required=required, default=[])
        for i, value in enumerate(values):
            if not isinstance(value, str):
                raise InputError(self.where((*path, key, i)), "expected a string",
                                 "write the item as text")
        return list(values)
