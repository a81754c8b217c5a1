"""The built-in core model: the lending API v1-v3 of contracts/core-banking.

It is loaded like any bank's own model (``--core fake_core_bank.lending:core``, the default, or
the entry point ``lending``): the worked example of docs/core-models.md. Its versions, contract
files and adapters are declared here and nowhere else.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fake_core_bank.cores import CoreModel
from fake_core_bank.http.adapters.v1 import V1
from fake_core_bank.http.adapters.v2 import V2
from fake_core_bank.http.adapters.v3 import V3

ADAPTERS = (V1(), V2(), V3())


def contracts_root() -> Path:
    """Where contracts/core-banking lives: inside an installed wheel, or the source checkout."""
    packaged = resources.files("fake_core_bank") / "_data" / "contracts" / "core-banking"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "contracts" / "core-banking"

core = CoreModel(
    name="lending",
    title="Core-banking lending API",
    versions=tuple(a.version for a in ADAPTERS),
    contracts={a.version: contracts_root() / f"{a.version}.yaml" for a in ADAPTERS},
    adapters={a.version: a for a in ADAPTERS},
    operations={"get-line": "getCreditLine", "draw-down": "createDrawdown",
                "get-drawdown": "getDrawdown", "activate": "activateCreditLine",
                "repay": "createRepayment"},
    docs={"api": "docs/core-banking-api.md", "control": "docs/control-api.md"},
)
