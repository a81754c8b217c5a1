"""What every version adapter shares: dispatch by operationId, the domain calls and the
operations whose only difference between versions is how a resource is rendered."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar

from fake_core_bank.domain.bank import DrawdownRequest
from fake_core_bank.domain.model import (
    CreditLine,
    Customer,
    Drawdown,
    DrawdownStatus,
    Reason,
    Refusal,
    Repayment,
    Wording,
)
from fake_core_bank.domain.state import customer_to_dict
from fake_core_bank.http.minor_release import add_minor_release
from fake_core_bank.http.wire import Evidence, Reply, Request, http_date

Handler = Callable[[Request], Reply]


class Adapter:
    """Base of the per-version translators: one method per operationId, the shared ones here;
    subclasses render resources in their version's shapes and add or override operations."""

    version = "v0"
    #: v1 and v2 have no PENDING drawdown to show: a read settles it first (v3 polls instead)
    settles_on_read = True
    #: v1 has no REJECTED drawdown status: such drawdowns are not there for it
    hides_rejected = False
    #: operations answered during a maintenance window (the status page tells when it ends)
    open_in_maintenance: ClassVar[frozenset[str]] = frozenset({"getSystemStatus"})
    #: operations that only read although their method is not GET (a gateway whose every
    #: service is a POST): a READ_ONLY maintenance window still serves them
    read_only_operations: ClassVar[frozenset[str]] = frozenset()

    def handle(self, request: Request) -> Reply:
        handler: Handler | None = getattr(self, request.operation_id, None)
        if handler is None:
            raise Refusal(Reason.NOT_FOUND, f"{request.operation_id} is not served by "
                          f"{self.version}")
        return handler(request)

    # Errors, in the version's own format -------------------------------------------------------
    def refusal(self, refusal: Refusal, wording: Wording, instance: str,
                retry_after: int | None) -> Reply:
        raise NotImplementedError

    def invalid(self, problems: list[tuple[str, str]], wording: Wording,
                instance: str) -> Reply:
        raise NotImplementedError

    # Version lifecycle on the wire -----------------------------------------------------------
    def deprecation_headers(self, since: datetime, sunset: datetime,
                            successor: str | None) -> dict[str, str]:
        """What every answer of a deprecated (or retired) version carries: here RFC 9745
        Deprecation, RFC 8594 Sunset and a successor Link (contracts/CHANGELOG.md)."""
        return _deprecation_headers(since, sunset, successor)

    def minor_release(self, reply: Reply) -> None:
        """Change ``reply`` as a minor release of the core would (fields and enum values the
        contract does not list yet: the tolerant-reader scenarios)."""
        add_minor_release(reply)

    # What the journal keeps and what it meant ----------------------------------------------
    def journal_body(self, body: Any) -> Any:
        """The request body as the journal keeps it: a core whose bodies carry credentials (a
        signature, a token) returns a copy with them masked, so no artefact keeps them."""
        return body

    def evidence(self, entry: dict[str, Any]) -> Evidence:
        """What a journaled exchange of this version meant, in the domain's words (the oracles
        read this, never the wire)."""
        raise NotImplementedError

    # Rendering, in the version's own shapes ----------------------------------------------------
    def customer(self, customer: Customer) -> dict[str, Any]:
        return customer_to_dict(customer)

    def line(self, line: CreditLine) -> dict[str, Any]:
        raise NotImplementedError

    def drawdown(self, d: Drawdown) -> dict[str, Any]:
        raise NotImplementedError

    # Operations every version serves alike but for the rendering hooks above -------------------
    def getCustomer(self, r: Request) -> Reply:  # noqa: N802 -- named after the operationId
        return Reply(200, self.customer(r.bank.core.get_customer(r.path_params["customerId"])))

    def listCustomerCreditLines(self, r: Request) -> Reply:  # noqa: N802
        lines = r.bank.core.lines_of(r.path_params["customerId"])
        return Reply(200, {"items": [self.line(ln) for ln in lines]})

    def getCreditLine(self, r: Request) -> Reply:  # noqa: N802
        return Reply(200, self.line(r.bank.core.get_line(r.path_params["lineId"])))

    def listDrawdowns(self, r: Request) -> Reply:  # noqa: N802
        """Page-number pagination (v1, v2); v3 overrides it with cursors."""
        page = int(r.query.get("page", 1))
        size = int(r.query.get("size", 20))
        core, line_id = r.bank.core, r.path_params["lineId"]
        with core.lock:  # the page and its total from one state of the line
            items, _ = self.line_page(r, start=(page - 1) * size, size=size)
            total = core.drawdown_total(line_id, rejected=not self.hides_rejected)
        return Reply(200, {"items": [self.drawdown(d) for d in items], "page": page,
                           "size": size, "total": total})

    def getDrawdown(self, r: Request) -> Reply:  # noqa: N802
        return Reply(200, self.drawdown(self.read_drawdown(r)))

    def draw_down(self, r: Request, request: DrawdownRequest) -> tuple[Drawdown, bool]:
        """Book, or replay the booking of the request's Idempotency-Key in this version's
        vocabulary, whichever version booked it: v1 and v2 have no PENDING, so the replay
        settles it as their reads do; a drawdown rejected at settlement is replayed as that
        refusal (v1 has no REJECTED, and v2's REJECTED carries no reason). Issue 13: a key
        booked through v3 and replayed through v2 answered "PENDING"."""
        drawdown, replayed = r.bank.core.draw_down(request)
        if replayed and self.settles_on_read:
            drawdown = r.bank.core.get_drawdown(drawdown.drawdown_id, settle=True)
            if drawdown.rejection is not None:
                raise drawdown.rejection
        return drawdown, replayed

    def booked(self, reply: Reply, booking: Drawdown | Repayment, replayed: bool) -> Reply:
        """``reply`` to a drawdown or a repayment, carrying the booking's id (the journal's
        ``bookings``, which amount-fidelity reads) unless the key replayed an earlier one."""
        if not replayed:
            reply.bookings.append(booking.drawdown_id if isinstance(booking, Drawdown)
                                  else booking.repayment_id)
        return reply

    # Shared translations ---------------------------------------------------------------------
    def read_drawdown(self, r: Request) -> Drawdown:
        core = r.bank.core
        drawdown = core.get_drawdown(r.path_params["drawdownId"], poll=True,
                                     settle=self.settles_on_read)
        if self.hides_rejected and drawdown.status is DrawdownStatus.REJECTED:
            raise Refusal(Reason.NOT_FOUND, f"drawdown {drawdown.drawdown_id} does not exist")
        return drawdown

    def line_page(self, r: Request, *, start: int, size: int,
                  after: str | None = None) -> tuple[list[Drawdown], bool]:
        """A page of the line's drawdowns as this version may show them, newest first, and
        whether more follow; ``after`` is a drawdown of the page before (a cursor): an
        unknown one is refused."""
        found = r.bank.core.drawdown_page(r.path_params["lineId"], start=start, size=size,
                                          rejected=not self.hides_rejected,
                                          settle=self.settles_on_read, after=after)
        if found is None:
            raise Refusal(Reason.INVALID_REQUEST, f"unknown cursor {after}", field="cursor")
        return found


@functools.lru_cache(maxsize=64)
def _deprecation_headers(since: datetime, sunset: datetime,
                         successor: str | None) -> dict[str, str]:
    """Deprecation, Sunset (an HTTP-date) and Link of a deprecated version: the same few
    values on every answer until the plan changes, so they are formatted once."""
    headers = {"deprecation": f"@{int(since.timestamp())}", "sunset": http_date(sunset)}
    if successor:
        headers["link"] = f'</{successor}>; rel="successor-version"'
    return headers
