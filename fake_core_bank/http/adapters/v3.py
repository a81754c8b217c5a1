"""Contract v3: asynchronous drawdowns (202 + status resource), SUSPENDED, purposeCode required,
``expiryDate`` renamed ``expiresOn``, cursor pagination."""

from __future__ import annotations

from typing import Any, ClassVar

from fake_core_bank.domain.bank import DrawdownRequest
from fake_core_bank.domain.model import CreditLine, Drawdown, LineStatus, Reason, Wording
from fake_core_bank.http.adapters.v2 import V2
from fake_core_bank.http.wire import Reply, Request, iso


class V3(V2):
    version = "v3"
    settles_on_read = False
    #: v3 says SUSPENDED itself, but like v2 it has no VERSION_UNAVAILABLE reason code
    reason_fallback: ClassVar[dict[Reason, Reason]] = {
        Reason.VERSION_UNAVAILABLE: Reason.MAINTENANCE,
    }
    status_fallback: ClassVar[dict[LineStatus, LineStatus]] = {}

    def line(self, line: CreditLine) -> dict[str, Any]:
        out = super().line(line)
        out["expiresOn"] = out.pop("expiryDate")
        if line.status is LineStatus.LOCKED and line.lock_reason:
            out["lockReason"] = line.lock_reason
        return out

    def drawdown(self, d: Drawdown) -> dict[str, Any]:
        out = super().drawdown(d)
        # v3 requires a purpose; drawdowns booked through v1/v2 without one show ZZ00 (unknown).
        out.setdefault("purposeCode", "ZZ00")
        if d.settled_at is not None:
            out["settledAt"] = iso(d.settled_at)
        if d.rejection is not None:
            wording = d.rejection.wording or Wording(d.rejection.detail)
            out["rejection"] = self.problem(d.rejection.reason, wording,
                                            f"/v3/drawdowns/{d.drawdown_id}")
            if d.rejection.locked_until is not None and d.rejection.reason is Reason.LINE_LOCKED:
                out["rejection"]["lockedUntil"] = iso(d.rejection.locked_until)
        return out

    def drawdown_request(self, r: Request) -> DrawdownRequest:
        request = super().drawdown_request(r)
        return DrawdownRequest(**{**request.__dict__, "asynchronous": True})

    def createDrawdown(self, r: Request) -> Reply:  # noqa: N802 -- named after the operationId
        drawdown, replayed = self.draw_down(r, self.drawdown_request(r))
        reply = Reply(202, self.drawdown(drawdown),
                      headers={"location": f"/v3/drawdowns/{drawdown.drawdown_id}"})
        return self.booked(reply, drawdown, replayed)

    def listDrawdowns(self, r: Request) -> Reply:  # noqa: N802
        page, more = self.line_page(r, start=0, size=int(r.query.get("limit", 20)),
                                    after=r.query.get("cursor"))
        body: dict[str, Any] = {"items": [self.drawdown(d) for d in page]}
        if more:
            body["nextCursor"] = page[-1].drawdown_id
        return Reply(200, body)
