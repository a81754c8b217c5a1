"""Load a library of scenarios: files and directory trees, unique ids across all of them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fake_core_bank.errors import InputError
from harness.paths import library_file
from harness.scenarios.loader import display_path, load_scenario
from harness.scenarios.model import Scenario
from harness.scenarios.translate import NotForThisCore
from harness.scenarios.vocabulary import FRAGMENT_FORMAT
from harness.scenarios.yamlpos import load_yaml

#: Directories under scenarios/ that hold other files (certification profiles, the schema).
SKIPPED_DIRS = ("profiles", "schema")


def scenario_files(root: Path) -> list[Path]:
    """The ``*.yaml`` files under ``root``, sorted, without profiles/, schema/ and hidden dirs.

    profiles/ and schema/ are skipped at the top of ``root`` and under any ``scenarios/``
    directory, so both ``scenarios/`` and the repository root work as a root.
    """
    found = []
    for path in sorted(root.rglob("*.yaml")):
        parts = path.relative_to(root).parts[:-1]
        if any(part.startswith(".") for part in parts):
            continue
        parents = (root.name, *parts)
        if any(
            part in SKIPPED_DIRS and (i == 0 or parents[i] == "scenarios")
            for i, part in enumerate(parts)
        ):
            continue
        found.append(path)
    return found


def _is_fragment(path: Path) -> bool:
    # Parsing is most of a library's load time, and a scenario is parsed again when loaded:
    # a file that never spells the fragment format out is no fragment (and a file that cannot
    # be read is reported when it is loaded as a scenario).
    try:
        if FRAGMENT_FORMAT.encode() not in path.read_bytes():
            return False
    except OSError:
        return False
    data = load_yaml(path, display_path(path)).data
    return isinstance(data, dict) and data.get("format") == FRAGMENT_FORMAT


def load_library(paths: Sequence[Path | str]) -> list[Scenario]:
    """Load every scenario named by ``paths`` (files, or directories searched recursively).

    Files are loaded in sorted path order, each once; include fragments found in
    directories are skipped (they are loaded through the scenarios that include them), and so
    are library scenarios that do not apply to the active core (harness.scenarios.translate). A
    directory without scenarios, or two scenarios with one id, is an :class:`InputError`.
    """
    files: list[Path] = []
    found_inside: set[Path] = set()  # files of a directory: those not for this core are skipped
    for raw in paths:
        path = library_file(Path(raw))  # scenarios/... names the library from any directory
        if path.is_dir():
            inside = [f for f in scenario_files(path) if not _is_fragment(f)]
            if not inside:
                raise InputError(
                    display_path(path),
                    "no scenario files (*.yaml) in this directory",
                    "name a directory that holds scenarios, e.g. scenarios/",
                )
            files.extend(inside)
            found_inside.update(f.resolve() for f in inside)
        elif path.exists() or path.suffix:
            files.append(path)  # a missing file is reported by load_scenario
        else:
            raise InputError(display_path(path), "no such file or directory", "check the path")
    seen: set[Path] = set()
    scenarios: list[Scenario] = []
    by_id: dict[str, Scenario] = {}
    for file in sorted(files, key=lambda f: str(f.resolve())):
        if file.resolve() in seen:
            continue
        seen.add(file.resolve())
        try:
            scenario = load_scenario(file)
        except NotForThisCore:
            if file.resolve() in found_inside:
                continue
            raise
        if scenario.id in by_id:
            first = by_id[scenario.id].source
            again = load_yaml(file, display_path(file))
            raise InputError(
                again.where(("id",)),
                f"duplicate scenario id {scenario.id!r}, also in {first.path if first else '?'}",
                "give each scenario its own id (ids name scenarios in reports and reruns)",
            )
        by_id[scenario.id] = scenario
        scenarios.append(scenario)
    return scenarios
