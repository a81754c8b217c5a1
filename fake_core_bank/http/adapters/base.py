"""What every version adapter shares: dispatch by operationId and the domain calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fake_core_bank.domain.model import Drawdown, DrawdownStatus, Reason, Refusal
from fake_core_bank.http.wire import Reply, Request

Handler = Callable[[Request], Reply]


class Adapter:
    """Base of the per-version translators. Subclasses define one method per operationId."""

    version = "v0"
    #: v1 and v2 have no PENDING drawdown to show: a read settles it first (v3 polls instead)
    settles_on_read = True
    #: v1 has no REJECTED drawdown status: such drawdowns are not there for it
    hides_rejected = False

    def handle(self, request: Request) -> Reply:
        handler: Handler | None = getattr(self, request.operation_id, None)
        if handler is None:
            raise Refusal(Reason.NOT_FOUND, f"{request.operation_id} is not served by "
                          f"{self.version}")
        return handler(request)

    # Errors, in the version's own format -------------------------------------------------------
    def refusal(self, refusal: Refusal, text: str, instance: str,
                retry_after: int | None) -> Reply:
        raise NotImplementedError

    def invalid(self, problems: list[tuple[str, str]], text: str, instance: str) -> Reply:
        raise NotImplementedError

    # Shared translations ---------------------------------------------------------------------
    def read_drawdown(self, r: Request) -> Drawdown:
        core = r.bank.core
        drawdown = core.get_drawdown(r.path_params["drawdownId"], poll=True,
                                     settle=self.settles_on_read)
        if self.hides_rejected and drawdown.status is DrawdownStatus.REJECTED:
            raise Refusal(Reason.NOT_FOUND, f"drawdown {drawdown.drawdown_id} does not exist")
        return drawdown

    def line_drawdowns(self, r: Request) -> list[Drawdown]:
        """The line's drawdowns as this version may show them, newest first."""
        core = r.bank.core
        items = []
        for drawdown in reversed(core.list_drawdowns(r.path_params["lineId"])):
            if self.settles_on_read and drawdown.status is DrawdownStatus.PENDING:
                drawdown = core.get_drawdown(drawdown.drawdown_id, settle=True)
            if self.hides_rejected and drawdown.status is DrawdownStatus.REJECTED:
                continue
            items.append(drawdown)
        return items

    @staticmethod
    def page(items: list[Any], query: dict[str, Any]) -> tuple[list[Any], int, int]:
        page = int(query.get("page", 1))
        size = int(query.get("size", 20))
        start = (page - 1) * size
        return items[start:start + size], page, size
