"""``python -m harness.scenarios [--check]``: write or check the published JSON Schema."""

import sys

from harness.scenarios.schema import main

sys.exit(main())
