"""Names the mechanism when a connector's reason differs from the bank's code: the text.

The fake varies its human texts per request (fake_core_bank/domain/messages.py). When the code
on the wire names the bank's reason by itself, the connector reported another reason and the
text of that answer was not the one the docs show, the likeliest cause is a connector that
decides by the human text; :func:`clause` says so, quoting the text and the code side by side.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from fake_core_bank.domain.messages import is_docs_text
from fake_core_bank.domain.model import Reason
from fake_core_bank.http.adapters.v1 import CODES
from harness.oracles.context import wire_code

#: v1 codes that stand for one reason only (E1003 stands for a freeze, a lock and more).
_V1_UNAMBIGUOUS = {code for code, n in Counter(c for c, _ in CODES.values()).items() if n == 1}


def _problem(entry: dict[str, Any]) -> dict[str, Any]:
    """The body that carries the refusal's texts: the error body, or a 2xx's ``rejection``."""
    body = entry.get("response_body")
    if not isinstance(body, dict):
        return {}
    rejection = body.get("rejection")
    return rejection if isinstance(rejection, dict) else body


def _domain_reason(entry: dict[str, Any], problem: dict[str, Any]) -> Reason | None:
    name = problem.get("reasonCode") or entry.get("reason")
    return Reason(name) if isinstance(name, str) and name in Reason.__members__ else None


def clause(entry: dict[str, Any]) -> str | None:
    """``the bank's text this time read '...'; its reasonCode said LINE_FROZEN: a connector that
    decides by the text, not the code, gets this wrong``, or None when the code alone did not name
    the reason (v1's E1003) or the text was the one the docs show."""
    problem = _problem(entry)
    code = wire_code(entry)
    reason = _domain_reason(entry, problem)
    field = "code" if entry.get("version") == "v1" else "reasonCode"
    detail = problem.get("message" if field == "code" else "detail")
    if code is None or reason is None or not isinstance(detail, str):
        return None
    if code != reason.value and code not in _V1_UNAMBIGUOUS:
        return None
    if is_docs_text(reason, detail):
        return None
    return (f"the bank's text this time read '{detail}'; its {field} said {code}: a connector "
            "that decides by the text, not the code, gets this wrong")
