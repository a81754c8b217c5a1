"""A connector that writes far more than anyone should keep.

``stdout``: 200 MB without a newline, then a proper answer; ``stderr``: the same on stderr;
``detail``: an answer whose ``detail`` is 900 KB (under the line limit, over the evidence one).
"""

import json
import sys

MODE = sys.argv[1]
CHUNK = b"x" * (1 << 20)
for line in sys.stdin:
    request = json.loads(line)
    if request.get("op") == "hello":
        print(json.dumps({"name": "hostile-floods-output", "version": "1"}), flush=True)
        continue
    if MODE in ("stdout", "stderr"):
        stream = sys.stdout.buffer if MODE == "stdout" else sys.stderr.buffer
        for _ in range(200):
            stream.write(CHUNK)
        stream.write(b"\n")
        stream.flush()
        print(json.dumps({"outcome": "succeeded"}), flush=True)
    else:
        print(json.dumps({"outcome": "failed", "detail": "y" * 900_000}), flush=True)
