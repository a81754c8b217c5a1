"""Which contract versions the bank serves, and how a rolling upgrade routes each request.

During a rolling upgrade some nodes are old (they serve what was live) and some are new (they
also serve the target version). Each request goes to a new node with probability ``share``,
drawn from a generator seeded per rollout, so the same run routes the same requests the same way.

A deprecated version is retired when the virtual clock reaches its Sunset (at once when the
Sunset given is already past); a retired version still tells when it was deprecated and
retired, and its successor, so its 410 carries the same Deprecation, Sunset and Link headers
as its answers did before (contracts/CHANGELOG.md, "Deprecation policy").
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

DEFAULT_SUNSET_AFTER = timedelta(days=180)


@dataclass
class Rollout:
    from_version: str
    to_version: str
    share: float
    seed: int
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(f"rollout:{self.seed}:{self.from_version}:{self.to_version}")


@dataclass(frozen=True)
class Route:
    """Where a request for ``version`` lands and what that node does with it."""

    node: str  # "v2" (single fleet) or "old-node"/"new-node" during a rollout
    outcome: str  # "serve", "retired", "unavailable" (not on this node yet), "unknown"
    #: (deprecated since, sunset); a retired version keeps its own (sunset: when it retired)
    deprecated: tuple[datetime, datetime] | None = None
    successor: str | None = None
    #: the contract that answers: the version asked for, or the newer one that replaced it
    #: in place (an upgrade that kept the old URLs)
    contract: str = ""


class VersionPlan:
    """``order``: every version of the core, oldest first (the core model's); ``live``: the
    ones served at the start."""

    def __init__(self, order: tuple[str, ...], live: tuple[str, ...] | None = None) -> None:
        self.order = order
        self._rank = {version: n for n, version in enumerate(order)}
        self.live: set[str] = set(order if live is None else live)
        self.retired: set[str] = set()
        self.deprecations: dict[str, tuple[datetime, datetime]] = {}
        #: retired version -> (deprecated since, retired at): what its 410 still says
        self.retirements: dict[str, tuple[datetime, datetime]] = {}
        #: the earliest Sunset still ahead: the one instant at which routing must look again
        self._next_sunset: datetime | None = None
        self.rollout: Rollout | None = None
        #: version prefix -> the contract now serving it after an in-place upgrade
        self.in_place: dict[str, str] = {}
        #: routes that depend on nothing but the plan (no rollout draw, no "now"): every
        #: request asks, the plan rarely changes, and each change empties it
        self._routes: dict[str, Route] = {}

    def serve(self, versions: tuple[str, ...], now: datetime) -> None:
        self._routes.clear()
        self.in_place = {}
        self.live = set(versions)
        self.retired -= self.live
        self.rollout = None
        self._deprecate_older(now, None)
        self._retire_sunset(now)

    def upgrade(
        self, to: str, now: datetime, *, retire: tuple[str, ...] = (),
        sunset: datetime | None = None, in_place: bool = False,
    ) -> None:
        """Make ``to`` live. ``in_place``: the older live versions' URLs now answer with
        ``to``'s contract (a core upgraded without keeping the old API, the integration
        failure of the article's first cause)."""
        self._routes.clear()
        if in_place:
            for version in self.live:
                if self.key(version) < self.key(to):
                    self.in_place[version] = to
        self.live.add(to)
        self.retired.discard(to)
        for version in retire:
            self._retire(version, now)
        self.rollout = None
        self._deprecate_older(now, sunset)
        self._retire_sunset(now)

    def rollback(self, to: str) -> None:
        self._routes.clear()
        self.in_place = {}
        self.live = {v for v in self.live if self.key(v) <= self.key(to)} | {to}
        self.retired.discard(to)
        self.retirements.pop(to, None)
        self.deprecations = {v: d for v, d in self.deprecations.items() if v in self.live
                             and v != max(self.live, key=self.key)}
        self._next_sunset = min((s for _, s in self.deprecations.values()), default=None)
        self.rollout = None

    def start_rollout(self, from_version: str, to: str, share: float, seed: int) -> None:
        self._routes.clear()
        self.rollout = Rollout(from_version, to, share, seed)

    def complete_rollout(self, now: datetime) -> None:
        if self.rollout is not None:
            self.upgrade(self.rollout.to_version, now)

    def _deprecate_older(self, now: datetime, sunset: datetime | None) -> None:
        newest = max(self.live, key=self.key, default=None)
        for version in self.live:
            if newest is not None and version != newest and version not in self.deprecations:
                self.deprecations[version] = (now, sunset or now + DEFAULT_SUNSET_AFTER)
        self.deprecations = {v: d for v, d in self.deprecations.items()
                             if v in self.live and v != newest}
        self._next_sunset = min((s for _, s in self.deprecations.values()), default=None)

    def _retire(self, version: str, now: datetime) -> None:
        since, _ = self.deprecations.pop(version, (now, now))
        self.live.discard(version)
        self.retired.add(version)
        self.retirements[version] = (since, now)

    def _retire_sunset(self, now: datetime) -> None:
        """Retire every deprecated version whose Sunset the clock has reached."""
        if self._next_sunset is None or now < self._next_sunset:
            return
        self._routes.clear()
        for version, (since, sunset) in sorted(self.deprecations.items()):
            if sunset <= now:
                self._retire(version, now)
                self.retirements[version] = (since, sunset)
        self._next_sunset = min((s for _, s in self.deprecations.values()), default=None)

    def key(self, version: str) -> int:
        """A version's place in the core's order (an unknown one after every known one)."""
        return self._rank.get(version, len(self.order))

    def newest(self, live: set[str]) -> str | None:
        return max(live, key=self.key, default=None)

    def route(self, version: str | None, now: datetime) -> Route:
        """Where a request for ``version`` lands; ``None``: the request names no version (a
        gateway), so the node that takes it answers with the newest version it serves."""
        if self._next_sunset is not None and now >= self._next_sunset:
            self._retire_sunset(now)
        rollout = self.rollout
        if version is None:
            return self._unversioned(now, rollout)
        if rollout is None:
            cached = self._routes.get(version)
            if cached is not None:
                return cached
            found = self._route(version, now, rollout)
            if found.deprecated is None or version in self.deprecations:
                self._routes[version] = found  # not the fallback below, which uses ``now``
            return found
        return self._route(version, now, rollout)

    def _route(self, version: str, now: datetime, rollout: Rollout | None) -> Route:
        live, node = self._node(rollout)
        if version in live:
            replaced = self.in_place.get(version)
            if replaced is not None:
                return Route(node, "serve", contract=replaced)
            newest = self.newest(live)
            deprecated = self.deprecations.get(version)
            if deprecated is None and newest is not None and version != newest:
                deprecated = (now, now + DEFAULT_SUNSET_AFTER)
            return Route(node, "serve", deprecated, newest if deprecated else None,
                         contract=version)
        if version in self.retired:
            return Route(node, "retired", self.retirements.get(version),
                         successor=self.newest(live))
        if rollout is not None and version == rollout.to_version:
            return Route(node, "unavailable")
        return Route(node, "unknown")

    def _node(self, rollout: Rollout | None) -> tuple[set[str], str]:
        """The versions live on the node that takes this request, and its name: during a
        rollout a draw of the rollout's generator decides between an old and a new node."""
        if rollout is None:
            return self.live, "fleet"
        if rollout.rng.random() < rollout.share:
            return self.live | {rollout.to_version}, "new-node"
        return self.live, "old-node"

    def _unversioned(self, now: datetime, rollout: Rollout | None) -> Route:
        live, node = self._node(rollout)
        newest = self.newest(live)
        if newest is None:
            newest = self.newest(self.retired)
            return Route(node, "retired" if newest else "unknown",
                         self.retirements.get(newest or ""), contract=newest or "")
        return Route(node, "serve", contract=self.in_place.get(newest, newest))

    def snapshot(self) -> dict[str, object]:
        return {
            "live": sorted(self.live, key=self.key),
            "retired": sorted(self.retired, key=self.key),
            "deprecated": {v: [d.isoformat(), s.isoformat()]
                           for v, (d, s) in sorted(self.deprecations.items())},
            "retiredAt": {v: s.isoformat() for v, (_, s) in sorted(self.retirements.items())},
            "inPlace": dict(sorted(self.in_place.items())),
            "rollout": None if self.rollout is None else {
                "from": self.rollout.from_version, "to": self.rollout.to_version,
                "share": self.rollout.share, "seed": self.rollout.seed},
        }
