"""A connector that closes its stdout and lives on: before hello, or (``--after-hello``) after.

It keeps reading stdin, so only the closed stdout tells the harness it will never answer.
"""

import json
import os
import sys
import time

after_hello = "--after-hello" in sys.argv
if not after_hello:
    os.close(1)
for line in sys.stdin:
    if json.loads(line).get("op") == "hello" and after_hello:
        print(json.dumps({"name": "hostile-closes-stdout", "version": "1"}), flush=True)
        sys.stdout.close()
        os.close(1)
time.sleep(300)
