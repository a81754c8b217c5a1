"""A :class:`LocalBank` whose loopback server puts the mutating proxy on the wire."""

from __future__ import annotations

from fake_core_bank.fake import BankConfig
from fake_core_bank.http.app import BankApp
from harness.engine.bank import LocalBank
from harness.mutate.operators.base import Operator
from harness.mutate.proxy import MutatingProxy


class MutantBank(LocalBank):
    """The engine's in-process bank, with :attr:`operator` applied to every connector request."""

    def __init__(self, config: BankConfig | None = None) -> None:
        proxies: list[MutatingProxy] = []

        def wrap(app: BankApp) -> MutatingProxy:
            proxies.append(MutatingProxy(app))
            return proxies[0]

        super().__init__(config, middleware=wrap)
        self.proxy = proxies[0]

    @property
    def operator(self) -> Operator | None:
        return self.proxy.operator

    @operator.setter
    def operator(self, operator: Operator | None) -> None:
        self.proxy.operator = operator

    def reset(self, config: BankConfig) -> None:
        super().reset(config)
        self.proxy.reset()
