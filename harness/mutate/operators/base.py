"""What a wire mutation operator is, and the two shapes most of them take.

An operator intercepts one request of the connector: it may rewrite the request, rewrite the
answer the connector gets, or talk to the bank more than once (``forward``), keeping what it
needs across a scenario run in a :class:`RunState`. ``touches`` says, for one exchange of a clean
run, whether the operator would change anything there: before its first change a mutant's
traffic is the clean traffic, so a scenario none of whose exchanges it touches cannot notice it
and is not run (the decision comes from the clean run's journal, never from a list).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from harness.mutate.wire import Exchange, WireRequest, WireResponse

Forward = Callable[[WireRequest], Awaitable[WireResponse]]


@dataclass
class RunState:
    """What an operator remembers during one scenario run (reset with the bank)."""

    data: dict[str, Any] = field(default_factory=dict)
    serial: int = 0

    def next_serial(self) -> int:
        self.serial += 1
        return self.serial


Intercept = Callable[[WireRequest, Forward, RunState], Awaitable[WireResponse]]
Touches = Callable[[Exchange], bool]


@dataclass(frozen=True)
class Operator:
    id: str
    description: str  # one line: what the mutant does to the traffic
    defect: str  # the class of integration defect it stands for
    oracles: tuple[str, ...]  # the oracles expected to kill it
    #: completes "no MUST scenario makes the bank ...": the missing scenario, for a survivor
    hole: str
    touches: Touches
    intercept: Intercept
    control: bool = False
    #: whether a run's exchanges give it anything to change (default: any exchange it touches)
    applies: Callable[[Sequence[Exchange]], bool] | None = None

    def applicable(self, exchanges: Sequence[Exchange]) -> bool:
        if self.applies is not None:
            return self.applies(exchanges)
        return any(self.touches(e) for e in exchanges)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "description": self.description, "defect": self.defect,
                "oracles": list(self.oracles), "hole": self.hole, "control": self.control}


def on_request(touches: Touches,
               rewrite: Callable[[WireRequest, RunState], WireRequest]) -> Intercept:
    """An intercept that rewrites every request ``touches`` selects, then forwards it."""

    async def intercept(request: WireRequest, forward: Forward, state: RunState) -> WireResponse:
        if touches(Exchange.live(request, None)):
            request = rewrite(request, state)
        return await forward(request)

    return intercept


def on_response(touches: Touches,
                rewrite: Callable[[WireResponse, RunState], WireResponse]) -> Intercept:
    """An intercept that rewrites every answer ``touches`` selects before the connector sees it."""

    async def intercept(request: WireRequest, forward: Forward, state: RunState) -> WireResponse:
        response = await forward(request)
        if touches(Exchange.live(request, response)):
            response = rewrite(response, state)
        return response

    return intercept


def json_rewrite(edit: Callable[[Any], None]) -> Callable[[WireResponse, RunState], WireResponse]:
    """A response rewrite that edits the parsed JSON body in place."""

    def rewrite(response: WireResponse, _state: RunState) -> WireResponse:
        data = response.json()
        edit(data)
        return response.with_json(data)

    return rewrite
