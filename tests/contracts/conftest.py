"""Make ``diff_helpers`` (shared helpers of the contract tests) importable by name.

pytest runs with ``--import-mode=importlib`` (tests/README.md), which does not put a test's
folder on ``sys.path``; the diff tests import their helpers as ``from diff_helpers import ...``.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
