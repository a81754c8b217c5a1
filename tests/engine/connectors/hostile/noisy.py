"""A connector that logs to stdout: banners and half-JSON lines before each real answer."""

import json
import sys

print("Connector v1 starting... (log level INFO)", flush=True)
for line in sys.stdin:
    request = json.loads(line)
    print("INFO handling request", flush=True)
    print("{not json at all", flush=True)
    print("[1, 2, 3]", flush=True)
    print("", flush=True)
    if request.get("op") == "hello":
        print(json.dumps({"name": "hostile-noisy", "version": "1"}), flush=True)
    else:
        print(json.dumps({"outcome": "rejected", "reason": "LINE_FROZEN"}), flush=True)
