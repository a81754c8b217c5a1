"""Names the mechanism when a connector's reason differs from the bank's code: the text.

The fake varies its human texts per request (fake_core_bank/domain/messages.py). When the code
on the wire names the bank's reason by itself, the connector reported another reason and the
text of that answer was not the one the docs show, the likeliest cause is a connector that
decides by the human text; :func:`clause` says so, quoting the text and the code side by side.
"""

from __future__ import annotations

from fake_core_bank.domain.messages import is_docs_text
from fake_core_bank.domain.model import Reason
from fake_core_bank.http.wire import Evidence


def clause(evidence: Evidence) -> str | None:
    """``the bank's text this time read '...'; its reasonCode said LINE_FROZEN: a connector that
    decides by the text, not the code, gets this wrong``, or None when the code alone did not name
    the reason (v1's E1003, ``Evidence.unambiguous``) or the text was the one the docs show."""
    code, name, detail = evidence.code, evidence.reason, evidence.text
    reason = Reason(name) if isinstance(name, str) and name in Reason.__members__ else None
    if code is None or reason is None or detail is None or not evidence.unambiguous:
        return None
    if is_docs_text(reason, detail):
        return None
    return (f"the bank's text this time read '{detail}'; its {evidence.code_field} said {code}: "
            "a connector that decides by the text, not the code, gets this wrong")
