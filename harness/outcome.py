"""What a connector reports for one operation: the harness's vocabulary, not any contract's.

One scenario judges a v1 and a v3 connector alike because both answer in these words:

- ``succeeded``: the operation did what was asked (``drawdown_id`` for a drawdown);
- ``rejected``: the bank refused, with a ``reason`` code from
  :data:`harness.scenarios.vocabulary.REASON_CODES` (``UNKNOWN`` when the connector could not
  tell) and, for a lock, ``locked_until``;
- ``pending``: accepted but not settled yet (v3's asynchronous drawdowns);
- ``failed``: the connector could not complete the operation (transport error, timeout,
  crash); ``detail`` says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.scenarios.vocabulary import OUTCOMES, REASON_CODES


@dataclass(frozen=True)
class Outcome:
    status: str
    reason: str | None = None
    detail: str | None = None
    drawdown_id: str | None = None
    locked_until: str | None = None
    data: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def failed(cls, detail: str) -> Outcome:
        return cls("failed", detail=cut(detail))

    @classmethod
    def from_wire(cls, payload: Any, where: str) -> Outcome:
        """Read a connector's JSON answer; anything off-protocol becomes a ``failed`` outcome."""
        if not isinstance(payload, dict):
            return cls.failed(f"{where}: expected a JSON object, got {type(payload).__name__}")
        status = payload.get("outcome")
        if status not in OUTCOMES:
            return cls.failed(f"{where}: 'outcome' must be one of {', '.join(OUTCOMES)}, "
                              f"got {status!r}")
        reason = payload.get("reason")
        if reason is not None and reason not in REASON_CODES:
            reason = "UNKNOWN"
        if status == "rejected" and reason is None:
            reason = "UNKNOWN"
        locked = payload.get("lockedUntil")
        return cls(
            status=status, reason=reason, detail=_str(payload.get("detail")),
            drawdown_id=_str(payload.get("drawdownId")),
            locked_until=_str(locked),
            data={cut(k): _cut_all(v) for k, v in payload.items()
                  if k not in {"outcome", "reason", "detail", "drawdownId", "lockedUntil"}},
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"outcome": self.status}
        for key, value in (("reason", self.reason), ("detail", self.detail),
                           ("drawdownId", self.drawdown_id), ("lockedUntil", self.locked_until)):
            if value is not None:
                out[key] = value
        return out

    def describe(self) -> str:
        text = self.status
        if self.reason:
            text += f" {self.reason}"
        if self.locked_until:
            text += f" until {self.locked_until}"
        if self.status == "failed" and self.detail:
            text += f" ({self.detail[:120]})"
        return text


#: Characters of one evidence field (a detail, an id, a string in the answer's data) kept.
EVIDENCE_LIMIT = 16_384


def cut(text: str, limit: int = EVIDENCE_LIMIT) -> str:
    """``text``, or its first ``limit`` characters and how much was cut."""
    if len(text) <= limit:
        return text
    kept = text[:limit]
    dropped = len(text.encode("utf-8", "replace")) - len(kept.encode("utf-8", "replace"))
    return f"{kept}... {dropped} bytes cut"


def _cut_all(value: Any) -> Any:
    if isinstance(value, str):
        return cut(value)
    if isinstance(value, dict):
        return {cut(str(k)): _cut_all(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cut_all(v) for v in value]
    return value


def _str(value: Any) -> str | None:
    return None if value is None else cut(str(value))
