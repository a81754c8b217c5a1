"""``python -m bench``: measure everything, write BENCHMARKS.md. ``--smoke`` for the test suite."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench import install, run
from bench.servers import REPO


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true",
                        help="tiny durations, no peers, one scenario: proves the bench works")
    parser.add_argument("--out", type=Path, default=None,
                        help="report file (default BENCHMARKS.md; a temp file with --smoke)")
    parser.add_argument("--duration", type=float, default=None, help="seconds per wrk run (10)")
    parser.add_argument("--repeats", type=int, default=None, help="repeats per server (3)")
    parser.add_argument("--no-peers", action="store_true", help="skip WireMock, Prism, mountebank")
    parser.add_argument("--sizes", default=None,
                        help="credit-line counts for the scale test (1000,100000,1000000)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.no_peers = True
        args.duration = args.duration or 1.0
        args.repeats = args.repeats or 1
        args.sizes = args.sizes or "1000"
        args.out = args.out or Path(tempfile.mkdtemp(prefix="bench-smoke-")) / "BENCHMARKS.md"
    args.duration = args.duration or 10.0
    args.repeats = args.repeats or 3
    args.sizes = args.sizes or "1000,100000,1000000"
    args.out = args.out or REPO / "BENCHMARKS.md"
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        print(f"--sizes: expected comma-separated integers, got {args.sizes!r}", file=sys.stderr)
        return 2
    if args.duration <= 0 or args.repeats < 1 or any(n < 1 for n in sizes):
        print("--duration, --repeats and --sizes must be positive", file=sys.stderr)
        return 2
    started = time.monotonic()
    try:
        report = run.everything(args.smoke, args.no_peers, args.duration, args.repeats, sizes)
    except (install.InstallError, RuntimeError) as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    args.out.write_text(report, encoding="utf-8")
    print(f"wrote {args.out} in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
