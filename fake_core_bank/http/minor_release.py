"""What an additive minor release of the core adds to its answers (``BankConfig.additive``).

A core's minor release ships without a new contract version, so its answers carry what no
contract lists yet. A tolerant reader ignores all of it; the library's tolerant-reader scenarios
show every shape a connector meets in practice:

- new top-level fields, one of them an object (``ADDITIONS``), in answers and in problem
  details too (RFC 9457 extension members);
- a new field inside the objects an answer nests (precondition items, list items, a v3
  drawdown's ``rejection``);
- a parameter on the ``Content-Type`` header (``application/json; charset=utf-8``), a value a
  connector comparing the header with ``application/json`` has not seen;
- values the version's enumerations do not list: the adapters show SUSPENDED and
  LINE_SUSPENDED on v2 (``fake_core_bank/http/adapters/v2.py``), and a line in a currency the
  contract does not list keeps its currency.
"""

from __future__ import annotations

from typing import Any

from fake_core_bank.http.wire import ADDITIONS, Reply

#: what a minor release adds inside every object an answer nests
NESTED_ADDITION = {"extensions": {"release": "minor"}}
#: the media type parameter a minor release adds
MEDIA_PARAMETER = "; charset=utf-8"


def _nested(value: Any) -> Any:
    if isinstance(value, dict):
        return {**value, **NESTED_ADDITION}
    if isinstance(value, list):
        return [{**item, **NESTED_ADDITION} if isinstance(item, dict) else item
                for item in value]
    return value


def add_minor_release(reply: Reply) -> None:
    """Give ``reply`` what a minor release adds (after it was checked against its contract)."""
    if isinstance(reply.body, dict):
        body = {key: value if key in ADDITIONS else _nested(value)
                for key, value in reply.body.items()}
        reply.body = {**body, **ADDITIONS}
    if ";" not in reply.media_type:
        reply.media_type += MEDIA_PARAMETER
