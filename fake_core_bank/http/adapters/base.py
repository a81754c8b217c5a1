"""What every version adapter shares: dispatch by operationId and the domain calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fake_core_bank.domain.model import Reason, Refusal
from fake_core_bank.http.wire import Reply, Request

Handler = Callable[[Request], Reply]


class Adapter:
    """Base of the per-version translators. Subclasses define one method per operationId."""

    version = "v0"

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
    @staticmethod
    def page(items: list[Any], query: dict[str, Any]) -> tuple[list[Any], int, int]:
        page = int(query.get("page", 1))
        size = int(query.get("size", 20))
        start = (page - 1) * size
        return items[start:start + size], page, size
