"""A connector that starts a helper process and never stops it (a leaked child)."""

import json
import subprocess
import sys

child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
for line in sys.stdin:
    request = json.loads(line)
    if request.get("op") == "hello":
        print(json.dumps({"name": "hostile-child", "version": "1"}), flush=True)
    else:
        print(json.dumps({"outcome": "succeeded", "childPid": child.pid}), flush=True)
# stdin closed: the connector exits, the child lives on unless someone kills the group
