"""A service gateway's lending services (ESB style) as a Drawbridge core model.

``--core examples.cores.gateway_lending:core``: two releases (``r1``, ``r2``) that replace each
other, one POST per service code, an envelope with a system head and a body, business refusals
inside HTTP 200, signed requests. See README.md in this folder.
"""

from __future__ import annotations

from pathlib import Path

from examples.cores.gateway_lending.adapters import Release1, Release2
from examples.cores.gateway_lending.evidence import OPERATIONS
from fake_core_bank.cores import CoreModel, Evolution, Routing

HERE = Path(__file__).resolve().parent
ADAPTERS = (Release1(), Release2())

core = CoreModel(
    name="gateway-lending",
    title="Service gateway lending services (ESB style)",
    versions=tuple(a.version for a in ADAPTERS),
    contracts={a.version: HERE / "contracts" / f"{a.version}.yaml" for a in ADAPTERS},
    adapters={a.version: a for a in ADAPTERS},
    operations=OPERATIONS,
    evolution=Evolution(side_by_side=False, retire=True, rollback=True, in_place=False),
    routing=Routing("none"),
    # Drawbridge's scenario library runs here too: its v2 is r1, its v3 is r2 (the operationIds
    # are the built-in ones); its profiles v2 and v3 certify r1 and r2 for the shared business,
    # gateway-r1 and gateway-r2 for what only this core has
    library=True,
    library_versions={"v2": "r1", "v3": "r2"},
    scenarios=(HERE / "scenarios",),
    profiles=(HERE / "profiles",),
    mutation_operators="examples.cores.gateway_lending.mutants",
    docs={"api": "examples/cores/gateway_lending/README.md"},
)
