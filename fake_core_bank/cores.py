"""Core models: how a bank's own core API is served, run, certified and mutated by Drawbridge.

A core model translates one bank's wire to Drawbridge's domain (credit lines, drawdowns, their
states, preconditions, policies, the maintenance calendar): it declares its contract files (one
OpenAPI 3.x document per version), one adapter per version (routing inside the version, request
parsing, rendering, refusals, its reason vocabulary and fallbacks), the order of its versions
and how they may evolve, and optionally its own scenarios and certification profiles. The
built-in lending core (``fake_core_bank.lending:core``) is one, loaded like any other: nothing
in Drawbridge knows it by a special path (docs/core-models.md).

A core model is found by ``--core module:attr`` (or the name of an entry point in the group
``drawbridge.cores``) on every command that uses a bank; the process's *active* model is the one
the command chose, the built-in one otherwise.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fake_core_bank.contracts import Contract, load_document
from fake_core_bank.errors import InputError

if TYPE_CHECKING:
    from fake_core_bank.http.adapters.base import Adapter

#: the entry point group under which installed packages name their core models
ENTRY_POINTS = "drawbridge.cores"
#: the model every command uses unless told otherwise
DEFAULT = "fake_core_bank.lending:core"
_SPEC = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")


@dataclass(frozen=True)
class Evolution:
    """What the core's versions may do to each other (the control API refuses the rest).

    ``side_by_side``: several versions may be live at once (a client picks one by its path);
    without it, one version is live and an upgrade replaces it. ``retire``: an old version can
    be retired (410) or reach its Sunset. ``rollback``: an upgrade can be undone. ``in_place``:
    an upgrade may take over an old version's URLs (the article's first cause).
    """

    side_by_side: bool = True
    retire: bool = True
    rollback: bool = True
    in_place: bool = True


@dataclass(frozen=True)
class Routing:
    """How a request names the version it asks for.

    ``prefix`` (the default): the first path segment is the version (``/v2/credit-lines``).
    ``none``: the path names no version; the bank answers with the newest version live on the
    node that takes the request (a gateway whose releases replace each other).
    """

    kind: str = "prefix"

    def split(self, path: str, versions: frozenset[str]) -> tuple[str | None, str]:
        """``/v2/x`` -> ``("v2", "/x")``; with ``none`` routing -> ``(None, "/x")``."""
        if self.kind == "none":
            return None, path
        version, _, rest = path[1:].partition("/")
        return version, "/" + rest


@dataclass(frozen=True)
class CoreModel:
    """One bank's core API as Drawbridge serves and judges it (docs/core-models.md)."""

    #: a short name: certificates, reports and the history say which core they are about
    name: str
    #: versions, oldest first: their order is the order of upgrades and of every listing
    versions: tuple[str, ...]
    #: version -> its OpenAPI 3.x document
    contracts: Mapping[str, Path]
    #: version -> the adapter that translates that version's wire to the domain
    adapters: Mapping[str, Adapter]
    title: str = ""
    #: scenario operation (``get-line``, ``draw-down``, ``get-drawdown``, ``activate``,
    #: ``repay``) -> the operationId that performs it: generated timelines aim faults with it,
    #: and scenarios emitted from a contract change pick the operation that exercises it
    operations: Mapping[str, str] = field(default_factory=dict)
    evolution: Evolution = field(default_factory=Evolution)
    routing: Routing = field(default_factory=Routing)
    #: whether Drawbridge's scenario library (``scenarios/``) and its profiles apply: they name
    #: versions v1-v3 and the operationIds of the built-in contracts, so a core that names its
    #: versions otherwise maps them (``library_versions``) or runs only its own scenarios
    #: (docs/core-models-oracles.md, "The library on your core")
    library: bool = True
    #: library version name (``v1``..``v3``) -> this core's version, to run the library: its
    #: scenarios and profiles at versions not mapped do not apply. Empty: the core names its
    #: versions as the library does (the built-in core)
    library_versions: Mapping[str, str] = field(default_factory=dict)
    #: built-in operationId (``createDrawdown``) -> this core's operationId, wherever the library
    #: names an operation (a fault's target), for operations ``operations`` does not already
    #: pair (the library's draw-down is this core's draw-down without saying so twice); one
    #: not mapped keeps its name
    operation_names: Mapping[str, str] = field(default_factory=dict)
    #: folders of the core's own scenarios (run beside the library's by default)
    scenarios: tuple[Path, ...] = ()
    #: folders of the core's certification profiles (``--profile ID`` looks there first)
    profiles: tuple[Path, ...] = ()
    #: the module whose ``OPERATORS`` (``harness.mutate.operators.base.Operator`` objects) are
    #: the wire mutation operators of this core's wire for ``drawbridge mutate``; empty: the
    #: built-in REST wire's catalogue (docs/mutation.md; those that do not fit a wire apply
    #: nowhere and count as not applicable)
    mutation_operators: str = ""
    #: what a person reads about this core's API (shown by ``GET /`` of the fake bank)
    docs: Mapping[str, str] = field(default_factory=dict)
    #: the module:attr this model was loaded from (set by :func:`load`)
    spec: str = ""
    #: version -> its compiled contract, filled on first use (every request asks)
    _contracts: dict[str, Contract] = field(default_factory=dict, init=False, repr=False,
                                            compare=False)

    def __post_init__(self) -> None:
        where = f"core model {self.name or '(unnamed)'}"
        if not self.name:
            raise InputError(where, "has no name", "give CoreModel(name=...)")
        if not self.versions:
            raise InputError(where, "declares no version", "list its versions, oldest first")
        if len(set(self.versions)) != len(self.versions):
            raise InputError(where, f"lists a version twice: {', '.join(self.versions)}",
                             "list each version once")
        for kind, table in (("contract", self.contracts), ("adapter", self.adapters)):
            missing = [v for v in self.versions if v not in table]
            extra = sorted(set(table) - set(self.versions))
            if missing or extra:
                problem = (f"has no {kind} for {', '.join(missing)}" if missing else
                           f"has a {kind} for undeclared version(s) {', '.join(extra)}")
                raise InputError(where, problem, f"give one {kind} per version in versions")
        unknown = sorted(set(self.library_versions.values()) - set(self.versions))
        if unknown:
            raise InputError(where, f"maps library versions to undeclared version(s) "
                             f"{', '.join(unknown)}", "map library versions (v1, v2, v3) to "
                             f"versions of the core: {', '.join(self.versions)}")

    # -- versions -----------------------------------------------------------------------------
    def version_key(self, version: str) -> int:
        """A version's place in the order (unknown versions sort last)."""
        try:
            return self.versions.index(version)
        except ValueError:
            return len(self.versions)

    def sorted(self, versions: Any) -> list[str]:
        return sorted(versions, key=self.version_key)

    def check_version(self, where: str, version: str) -> str:
        """``version`` when this core has it; otherwise a one-line error naming the known ones."""
        if version not in self.versions:
            raise InputError.for_unknown_name(where, "version", version,
                                              self.versions)
        return version

    def live_at_start(self) -> tuple[str, ...]:
        """The versions a bank serves when told none: every one side by side, else (releases
        replace each other) the newest."""
        return self.versions if self.evolution.side_by_side else self.versions[-1:]

    def up_to(self, version: str) -> tuple[str, ...]:
        """Every version up to and including ``version``, oldest first."""
        return self.versions[:self.version_key(version) + 1]

    # -- the scenario library ------------------------------------------------------------------
    @property
    def translates_library(self) -> bool:
        """Whether the library's names must be translated to run on this core."""
        return bool(self.library_versions or self.operation_names)

    def library_version(self, name: str) -> str | None:
        """This core's version for the library's version ``name``, or None: not mapped."""
        if not self.library_versions:
            return name if name in self.versions else None
        return self.library_versions.get(name)

    def operation_name(self, operation_id: str) -> str:
        """This core's operationId for the built-in ``operation_id``."""
        return self.operation_names.get(operation_id, operation_id)

    # -- contracts ----------------------------------------------------------------------------
    def operation_of(self, operation_id: str) -> str | None:
        """The scenario operation an operationId performs, or None."""
        return next((op for op, oid in self.operations.items() if oid == operation_id), None)

    def contract_path(self, version: str) -> Path:
        self.check_version("--contract", version)
        return Path(self.contracts[version])

    def contract_name(self, version: str) -> str:
        """The contract's name in artefacts, the same from any directory and install: its path
        from the nearest folder called ``contracts`` (``contracts/core-banking/v2.yaml``), else
        its file name."""
        path = self.contract_path(version)
        parts = path.parts
        for n in range(len(parts) - 2, -1, -1):
            if parts[n] == "contracts":
                return "/".join(parts[n:])
        return path.name

    def require_contracts(self) -> None:
        """Fail at once, in one line, when a contract file is missing (a broken checkout, a
        wheel built without its data): otherwise every request to that version would fail inside
        the server and the connector would be blamed."""
        for version in self.versions:
            path = Path(self.contracts[version])
            if not path.is_file():
                raise InputError(str(path), f"the contract of version {version} of core "
                                 f"{self.name} is missing",
                                 "restore the file (git checkout in a checkout) or reinstall "
                                 "the package that provides the core")

    def contract(self, version: str) -> Contract:
        """The compiled contract of a version, once per process and file (looked up without
        touching the file system: the fake bank asks on every request)."""
        found = self._contracts.get(version)
        if found is None:
            found = self._contracts[version] = _compiled(str(self.contract_path(version)),
                                                         version)
        return found


@functools.cache
def _compiled(path: str, version: str) -> Contract:
    return Contract(version, load_document(Path(path)))


# -- finding models ------------------------------------------------------------------------------
def load(spec: str) -> CoreModel:
    """The core model ``spec`` names: ``module:attr``, or an entry point of ``drawbridge.cores``."""
    found = _registered().get(spec)
    target = found or spec
    if not _SPEC.match(target) and re.fullmatch(r"v\d+", spec):
        raise InputError("--core", f"{spec!r} is a version, not a core model",
                         f"write --core-version {spec} (--core names the core model)")
    if not _SPEC.match(target):
        known = sorted(_registered())
        raise InputError("--core", f"{spec!r} names no core model",
                         "give module:attribute (e.g. mybank.core:model) or one of "
                         f"{', '.join(known) or 'the installed ones'}")
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise InputError("--core", f"cannot import {module_name}: {exc}",
                         "install the package of the core model, or put its folder on "
                         "PYTHONPATH") from exc
    model = getattr(module, attr, None)
    if callable(model) and not isinstance(model, CoreModel):
        model = model()
    if not isinstance(model, CoreModel):
        raise InputError("--core", f"{target} is not a CoreModel "
                         f"(found {type(model).__name__})",
                         "point at a fake_core_bank.cores.CoreModel object or a function "
                         "returning one")
    if model.spec != target:
        object.__setattr__(model, "spec", target)
    return model


def _registered() -> dict[str, str]:
    """Entry point name -> ``module:attr`` for every installed core model."""
    return {ep.name: ep.value for ep in entry_points(group=ENTRY_POINTS)}


_active: list[CoreModel] = []


def active() -> CoreModel:
    """The core model of this process's command (the built-in one unless told otherwise)."""
    if not _active:
        _active.append(load(DEFAULT))
    return _active[-1]


def activate(model: CoreModel) -> None:
    """Make ``model`` the active one for the rest of the process (a command's ``--core``)."""
    _active.clear()
    _active.append(model)


@contextmanager
def using(model: CoreModel) -> Iterator[CoreModel]:
    """``model`` active inside the block, the previous one after it (tests, the demo)."""
    before = list(_active)
    activate(model)
    try:
        yield model
    finally:
        _active[:] = before
