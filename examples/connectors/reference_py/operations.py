"""One Drawbridge operation request -> the reference connector's call, for every wire driver.

The command protocol (``python -m examples.connectors.reference_py``) and the HTTP service
(``python -m examples.connectors.reference_http``) carry the same requests
(docs/driver-protocol.md); both hand them to :func:`perform`.
"""

from __future__ import annotations

from typing import Any

from examples.connectors.reference_py.connector import ReferenceConnector


def perform(connector: ReferenceConnector, request: dict[str, Any]) -> dict[str, Any]:
    """One protocol request -> the connector's outcome (the same mapping as the python driver)."""
    op = request.get("op")
    if op == "hello":
        return dict(ReferenceConnector.DRAWBRIDGE)
    if op == "get-line":
        return connector.get_credit_line(request["line"])
    if op == "activate":
        return connector.activate(request["line"])
    if op == "get-drawdown":
        return connector.get_drawdown(request["drawdownId"])
    if op == "draw-down":
        amount = request["amount"]
        return connector.draw_down(request["line"], amount["minor"], amount["currency"],
                                   account=request["account"], purpose=request.get("purpose"),
                                   intent=request["intent"])
    if op == "repay":
        amount = request["amount"]
        return connector.repay(request["line"], amount["minor"], amount["currency"],
                               intent=request["intent"])
    return {"outcome": "failed", "detail": f"unknown op {op!r}"}
