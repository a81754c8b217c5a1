"""Where the project's data lives (an installed wheel, or the source checkout), and how files
are written safely there (atomically, never through a link).

Library scenarios have one name wherever Drawbridge is installed or run from:
``scenarios/<folder>/<file>.yaml`` (:func:`library_name`). Certificates, reproduce commands and
bundles use that name, so they are the same bytes from any directory, and
:func:`library_file` turns it back into the file (a path that exists as given wins).
"""

from __future__ import annotations

import os
import tempfile
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from fake_core_bank.cores import CoreModel

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


def default_library() -> list[Path]:
    """The scenario folders a command runs when given none: the library's (when the active
    core model uses it) and the core model's own."""
    model = _active_core()
    return [*([scenarios_root()] if model.library else []), *model.scenarios]


def profile_folders() -> list[Path]:
    """Where ``--profile ID`` looks: the active core model's profiles, then the library's."""
    model = _active_core()
    return [*model.profiles, *([profiles_root()] if model.library else [])]


def shown(path: Path) -> str:
    """``path`` as a person types it here: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _named_folders() -> list[tuple[str, Path]]:
    """(name, folder) of every scenario folder with a name of its own: the library's
    (``scenarios``), then the active core model's own folders (named by their folder name)."""
    return [(LIBRARY, scenarios_root()),
            *((Path(folder).name, Path(folder)) for folder in _active_core().scenarios)]


def _active_core() -> CoreModel:
    """The active core model, imported when asked for: a command that never names a scenario
    folder (``drawbridge diff`` of two files, ``write_atomic``'s users) does not load a core and
    its bank (about 15 MiB and 20 ms)."""
    from fake_core_bank import cores

    return cores.active()


def library_name(path: Path) -> str | None:
    """``scenarios/lock-period/x.yaml`` for a file of the scenario library (or of a folder of
    the active core model's own scenarios, named by that folder), else None."""
    resolved = path.resolve()
    for name, folder in _named_folders():
        try:
            relative = resolved.relative_to(folder.resolve())
        except ValueError:
            continue
        return str(PurePosixPath(name, *relative.parts))
    return None


def in_library(path: Path) -> bool:
    """Whether ``path`` is a file of Drawbridge's scenario library (``scenarios/``, profiles
    included), written in the built-in core's names: only those are translated to another
    core's (harness/scenarios/translate.py); a core's own scenarios and profiles are in its own
    names already."""
    try:
        path.resolve().relative_to(scenarios_root().resolve())
    except ValueError:
        return False
    return True


def library_file(path: Path) -> Path:
    """``path`` itself when it exists; a library name (``scenarios/...``) that does not exist
    relative to the working directory is the library's file (run from any directory), or the
    active core model's."""
    if path.exists() or path.is_absolute() or not path.parts:
        return path
    for name, folder in _named_folders():
        if path.parts[0] == name:
            candidate = folder.joinpath(*path.parts[1:])
            if candidate.exists():
                return candidate
    return path


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write an artefact whole or not at all, never through a symbolic link.

    The bytes go to a new temporary file in the same folder (``mkstemp``: a random name,
    created exclusively, so a link planted under a predictable name is never opened), are
    flushed to disk, then renamed over ``path`` (``os.replace``). A link already at ``path`` is
    replaced by the file, not written through, and a reader (or a killed run) never sees half
    a file. Every writer of reports, bundles and scenarios calls this (issue 15 item 10).
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(0o644)  # mkstemp's 0600 would hide reports from a CI artefact upload
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def open_new_stream(path: Path) -> IO[bytes]:
    """A file for a stream of lines (recordings, journals), created or truncated, unbuffered,
    refusing to open a symbolic link (``O_NOFOLLOW``): a planted link fails with ELOOP instead
    of being written through."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
    return os.fdopen(fd, "wb", buffering=0)
