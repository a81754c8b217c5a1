"""A connector that introduces itself and crashes on the first operation."""

import json
import sys

for line in sys.stdin:
    if json.loads(line).get("op") == "hello":
        print(json.dumps({"name": "hostile-exit", "version": "1"}), flush=True)
        continue
    print("fatal: cannot load configuration", file=sys.stderr, flush=True)
    sys.exit(3)
