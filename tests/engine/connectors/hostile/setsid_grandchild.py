"""A connector whose child calls setsid (a new session and group), holding the connector's pipes.

The hello answer names the detached process (``version``: its pid), so a test can look for it.
With ``--double-fork`` the helper forks twice into a daemon instead (its parent exits at once).
"""

import json
import os
import subprocess
import sys
import time

if "--double-fork" in sys.argv:
    reader, writer = os.pipe()
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.write(writer, str(os.getpid()).encode())
            time.sleep(300)
        os._exit(0)
    os.wait()
    helper = int(os.read(reader, 32))
else:
    helper = subprocess.Popen(["setsid", "sleep", "300"]).pid
for line in sys.stdin:
    request = json.loads(line)
    if request.get("op") == "hello":
        print(json.dumps({"name": "hostile-setsid", "version": str(helper)}), flush=True)
    else:
        time.sleep(300)  # hangs: the harness kills it at the operation timeout
