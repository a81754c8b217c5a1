"""Contract evolution tools: load OpenAPI/Swagger documents and compare their meaning.

>>> from pathlib import Path
>>> from harness.contracts import diff_files
>>> changes = diff_files(Path("old.yaml"), Path("new.yaml"))  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from harness.contracts.document import compare_contracts
from harness.contracts.model import Audience, Change, Severity
from harness.contracts.normalise import Contract, load_contract

__all__ = ["Audience", "Change", "Contract", "Severity", "diff_files", "load_contract"]


def diff_files(old: Path, new: Path) -> list[Change]:
    """Load both documents and list every change from ``old`` to ``new``, worst first."""
    return compare_contracts(load_contract(old), load_contract(new))
