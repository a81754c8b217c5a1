"""Where the project's data lives: inside an installed wheel, or the source checkout.

Library scenarios have one name wherever Drawbridge is installed or run from:
``scenarios/<folder>/<file>.yaml`` (:func:`library_name`). Certificates, reproduce commands and
bundles use that name, so they are the same bytes from any directory, and
:func:`library_file` turns it back into the file (a path that exists as given wins).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path, PurePosixPath

#: the first part of every library scenario's name
LIBRARY = "scenarios"


def scenarios_root() -> Path:
    packaged = resources.files("harness") / "_data" / "scenarios"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "scenarios"


def examples_root() -> Path:
    """The reference connectors (``examples/connectors``) that ``drawbridge init`` renames."""
    packaged = resources.files("harness") / "_data" / "examples"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "examples" / "connectors"


def profiles_root() -> Path:
    return scenarios_root() / "profiles"


def library_name(path: Path) -> str | None:
    """``scenarios/lock-period/x.yaml`` for a file of the scenario library, else None."""
    try:
        relative = path.resolve().relative_to(scenarios_root().resolve())
    except ValueError:
        return None
    return str(PurePosixPath(LIBRARY, *relative.parts))


def library_file(path: Path) -> Path:
    """``path`` itself when it exists; a library name (``scenarios/...``) that does not exist
    relative to the working directory is the library's file (run from any directory)."""
    if path.exists() or path.is_absolute() or not path.parts or path.parts[0] != LIBRARY:
        return path
    candidate = scenarios_root().joinpath(*path.parts[1:])
    return candidate if candidate.exists() else path
