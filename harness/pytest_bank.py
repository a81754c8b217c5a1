"""The bank a connector's own tests get from the ``drawbridge_bank`` fixture.

It is a :class:`harness.engine.bank.LocalBank` (every control helper, docs/control-api.md)
plus what a hand-written test needs and the engine does for scenarios:

- :meth:`PluginBank.operation`: bracket one connector call. The bank's clock is stepped, not
  running: it follows wall time (scaled, docs/time.md; from the operation's first request)
  only while an operation is open, so a connector waiting out a 30-minute maintenance window
  inside ``with bank.operation():`` sees it end within a second, and its traffic is tagged as
  one business intent (the no-double-disbursement oracle counts bookings per operation).
  Outside it the clock stands still and the connector would wait for real.
- :meth:`PluginBank.customer_account`: a customer's settlement account and credit lines, the
  values a drawdown call needs.

>>> def test_drawdown_waits_out_maintenance(drawbridge_bank, drawbridge_clock):  # doctest: +SKIP
...     account = drawbridge_bank.customer_account()
...     start = drawbridge_clock.now()
...     drawbridge_bank.schedule_maintenance(start, start + timedelta(minutes=30), "FULL")
...     connector = MyConnector(drawbridge_bank.base_url, version="v2")
...     with drawbridge_bank.operation("pay-supplier"):
...         outcome = connector.draw_down(account.line, 100_00, "CNY",
...                                       account=account.account_no, purpose="WC01",
...                                       intent="pay-supplier")
...     assert outcome["outcome"] == "succeeded"
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from fake_core_bank.errors import InputError
from harness.engine.bank import LocalBank


@dataclass(frozen=True)
class CustomerAccount:
    """One seeded customer as a connector's test uses it."""

    customer_id: str  # ENT000001
    name: str
    account_no: str  # the settlement account drawdowns pay into
    region: str
    lines: tuple[str, ...]  # the customer's credit line ids, in order

    @property
    def line(self) -> str:
        """The customer's first credit line (seeded customers have one)."""
        if not self.lines:
            raise InputError(f"customer {self.customer_id}", "has no credit line",
                             "load a state that gives it one (drawbridge_bank.load_state)")
        return self.lines[0]


class PluginBank(LocalBank):
    """The ``drawbridge_bank`` fixture's bank."""

    @contextmanager
    def operation(self, name: str = "test-operation") -> Iterator[None]:
        """One connector operation: the clock runs (scaled) and traffic carries ``name``."""
        self.begin_operation(name)
        try:
            yield
        finally:
            self.end_operation()

    def customer_account(self, customer: str | None = None) -> CustomerAccount:
        """The customer ``customer`` (default: the first one) with its account and lines."""
        state = self.snapshot()
        customers = state["customers"]
        known = [c["customerId"] for c in customers]
        wanted = customer if customer is not None else (known[0] if known else "")
        found = next((c for c in customers if c["customerId"] == wanted), None)
        if found is None:
            raise InputError.for_unknown_name("customer_account", "customer", wanted, known)
        lines = tuple(line["lineId"] for line in state["lines"]
                      if line["customerId"] == wanted)
        return CustomerAccount(customer_id=wanted, name=found["name"],
                               account_no=found["accountNo"], region=found["region"],
                               lines=lines)
