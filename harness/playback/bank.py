"""An engine bank handle whose bank is reached through ``responses``, in this process.

The same helpers as :class:`~harness.engine.bank.LocalBank` (it is one, minus the server): the
engine cannot tell the difference, and the python driver hands the connector the fake base URL
(``http://fake-bank.invalid``), so every scenario runs in this mode unchanged::

    run_plan(items, make_driver, identity, options, bank_factory=ResponsesBank)

Only connectors in this process that use ``requests`` can reach it (``python:`` specs).
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from fake_core_bank.fake import BankConfig, FakeBank
from fake_core_bank.http.app import BankApp
from harness.drivers.python import in_process_bank
from harness.engine.bank import LocalBank
from harness.playback.mount import mount
from harness.redaction import header_policy


class ResponsesBank(LocalBank):
    """A :class:`FakeBank` mounted into ``responses`` at a ``.invalid`` base URL."""

    transport = "responses"

    def __init__(self, config: BankConfig | None = None, *, base_url: str | None = None) -> None:
        # No super().__init__(): that would start a loopback server, which is what this avoids.
        self.bank = FakeBank(config)
        self.app = BankApp(self.bank, headers=header_policy())
        self._mounted: AbstractContextManager[str] = mount(self.app, base_url=base_url)
        self.base_url = self._mounted.__enter__()
        # python connectors run in this process against it: a child could not reach it
        self._in_process = in_process_bank(self.base_url)
        self._in_process.__enter__()

    def close(self) -> None:
        self._in_process.__exit__(None, None, None)
        self._mounted.__exit__(None, None, None)
