"""``python -m bench.peak OUT MODULE ARG...``: run ``MODULE`` as ``python -m`` would and, as the
process exits, write its peak resident memory in KiB (``VmHWM``) to the file ``OUT``.

The kernel's ``ru_maxrss`` of a child is no use for this: a child is forked (or vforked) from
the bench's own process, and the high-water mark carried across its ``exec`` is the bench's, so
a diff of 40 MiB read as the 112 MiB of the process that started it. ``VmHWM`` belongs to the
memory the process has after ``exec``: its own.
"""

from __future__ import annotations

import atexit
import runpy
import sys
from pathlib import Path


def peak_kib() -> int:
    """This process's peak resident memory since its exec, in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("/proc/self/status has no VmHWM")


def main(argv: list[str]) -> None:
    out, module, *args = argv
    atexit.register(lambda: Path(out).write_text(str(peak_kib())))
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
