"""Make the engine tests' helpers and planted-defect connectors importable by name.

pytest runs with ``--import-mode=importlib`` (tests/README.md), which does not put a test's
folder on ``sys.path``: ``engine_helpers`` lives here, the connectors in ``connectors/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
for _folder in (_HERE, _HERE / "connectors"):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))
