"""A connector that introduces itself and then never answers an operation (a deadlock)."""

import json
import sys
import time

for line in sys.stdin:
    if json.loads(line).get("op") == "hello":
        print(json.dumps({"name": "hostile-hang", "version": "1"}), flush=True)
        continue
    while True:  # stuck: no answer, and stdin is no longer read
        time.sleep(60)
