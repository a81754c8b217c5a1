"""An engine bank handle whose bank is reached through ``responses``, in this process.

A :class:`~harness.engine.bank.Bank` over the in-process transport, like
:class:`~harness.engine.bank.LocalBank` but mounted instead of served: the engine cannot tell
the difference, and the python driver hands the connector the fake base URL
(``http://fake-bank.invalid``), so every scenario runs in this mode unchanged::

    run_plan(items, make_driver, identity, options, bank_factory=ResponsesBank)

Only connectors in this process that use ``requests`` can reach it (``python:`` specs).
"""

from __future__ import annotations

from contextlib import AbstractContextManager, ExitStack

from fake_core_bank.fake import BankConfig, FakeBank
from fake_core_bank.http.app import BankApp
from harness.drivers.python import in_process_bank
from harness.engine.bank import Bank, InProcess
from harness.playback.mount import mount
from harness.redaction import header_policy


class ResponsesBank(Bank):
    """A :class:`FakeBank` mounted into ``responses`` at a ``.invalid`` base URL."""

    def __init__(self, config: BankConfig | None = None, *, base_url: str | None = None) -> None:
        self.bank = FakeBank(config)
        self.app = BankApp(self.bank, headers=header_policy())
        self._mounts = ExitStack()
        mounted: AbstractContextManager[str] = mount(self.app, base_url=base_url)
        url = self._mounts.enter_context(mounted)
        # python connectors run in this process against it: a child could not reach it
        self._mounts.enter_context(in_process_bank(url))
        super().__init__(InProcess(self.bank), url)

    def close(self) -> None:
        super().close()
        self._mounts.close()
