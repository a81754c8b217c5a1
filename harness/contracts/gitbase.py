"""``drawbridge diff --base REF [PATHS...]``: each spec against its version at a git ref.

The way CI uses it on a pull request: ``--base origin/main`` compares every OpenAPI document
of the working tree (under PATHS, default the current directory; files git ignores are left
out) with the same file at REF. The files at REF are read with ``git cat-file`` into a
temporary directory (every YAML and JSON file, so relative ``$ref``s resolve as they did at
REF); locations in the old document read ``REF:path:line:column``. Paths are shown relative
to the repository root, as GitHub annotations need them.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fake_core_bank.errors import InputError

_SPEC_SUFFIXES = (".yaml", ".yml", ".json")
_OPENAPI = re.compile(r'^(?:openapi|swagger)\s*:|"(?:openapi|swagger)"\s*:', re.MULTILINE)


@dataclass(frozen=True)
class Pair:
    """One document: its path from the repository root, at REF (None: new) and now."""

    name: str
    old: Path | None
    new: Path
    old_root: Path  # the temporary copy of REF
    new_root: Path  # the repository


def _git(root: Path, *args: str, data: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=root, input=data, capture_output=True,
                              check=False, timeout=120)
    except FileNotFoundError:
        raise InputError("--base", "git is not installed",
                         "install git, or compare two files: drawbridge diff OLD NEW") from None
    except subprocess.TimeoutExpired:
        raise InputError("--base", f"git {args[0]} did not finish within 120 s",
                         "check the repository") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError("--base", f"git {args[0]} failed: {message[-1] if message else ''}",
                         "run inside a git repository and name an existing ref")
    return done.stdout


def _root(cwd: Path) -> Path:
    try:
        return Path(_git(cwd, "rev-parse", "--show-toplevel").decode().strip())
    except InputError:
        raise InputError(str(cwd), "not inside a git repository",
                         "run drawbridge diff --base from the repository, or compare two "
                         "files: drawbridge diff OLD NEW") from None


def _is_openapi(path: Path) -> bool:
    try:
        head = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return bool(_OPENAPI.search(head))


def _documents(root: Path, cwd: Path, paths: tuple[Path, ...]) -> list[str]:
    """Repository-relative names of the OpenAPI documents under ``paths`` (files as named)."""
    names: list[str] = []
    for given in paths or (Path(),):
        path = (cwd / given).resolve()
        if not path.exists():
            raise InputError(str(given), "no such file or directory",
                             "name spec files or folders of the working tree")
        if path.is_file():
            names.append(path.relative_to(root).as_posix())
            continue
        listed = _git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard",
                      "--", str(path.relative_to(root)) or ".")
        for name in sorted(filter(None, listed.decode("utf-8").split("\0"))):
            if name.endswith(_SPEC_SUFFIXES) and _is_openapi(root / name):
                names.append(name)
    return list(dict.fromkeys(names))


def _extract(root: Path, ref: str, into: Path) -> set[str]:
    """Write every YAML/JSON file of ``ref`` under ``into``; their names."""
    listed = _git(root, "ls-tree", "-r", "-z", "--name-only", ref)
    names = [n for n in listed.decode("utf-8").split("\0") if n.endswith(_SPEC_SUFFIXES)]
    if not names:
        return set()
    request = "".join(f"{ref}:{name}\n" for name in names).encode("utf-8")
    out = _git(root, "cat-file", "--batch", data=request)
    position = 0
    for name in names:
        header_end = out.index(b"\n", position)
        size = int(out[position:header_end].split()[2])
        body = out[header_end + 1: header_end + 1 + size]
        position = header_end + 1 + size + 1  # the body is followed by a newline
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
    return set(names)


@contextmanager
def pairs_at(ref: str, paths: tuple[Path, ...], cwd: Path | None = None) -> Iterator[list[Pair]]:
    """The documents under ``paths`` paired with their version at ``ref`` (a temp copy)."""
    cwd = (cwd or Path.cwd()).resolve()
    root = _root(cwd)
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except InputError:
        raise InputError(f"--base {ref}", "no such commit, branch or tag",
                         "fetch it first (git fetch origin main) or name an existing ref"
                         ) from None
    names = _documents(root, cwd, paths)
    with tempfile.TemporaryDirectory(prefix="drawbridge-base-") as tmp:
        at_ref = _extract(root, ref, Path(tmp))
        yield [Pair(name, Path(tmp) / name if name in at_ref else None, root / name,
                    Path(tmp), root) for name in names]




def display(base: Path, prefix: str = "") -> Callable[[str], str]:
    """Name files under ``base`` as ``prefix`` + their path from ``base`` (others as given)."""
    resolved = base.resolve()

    def name(path: str) -> str:
        try:
            return prefix + Path(path).resolve().relative_to(resolved).as_posix()
        except ValueError:
            return path

    return name
