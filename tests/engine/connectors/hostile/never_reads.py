"""A connector that introduces itself and then never reads its stdin again: the harness's
writes fill the pipe (64 KB on Linux) and would block."""

import json
import sys
import time

line = sys.stdin.readline()
if json.loads(line).get("op") == "hello":
    print(json.dumps({"name": "hostile-never-reads", "version": "1"}), flush=True)
while True:
    time.sleep(60)
