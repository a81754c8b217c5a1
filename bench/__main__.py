"""``python -m bench``: measure everything, write BENCHMARKS.md. ``--smoke`` for the test suite."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench import install, run, soak
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
    parser.add_argument("--soak", type=float, default=None,
                        help="seconds of the POST soak (600; DRAWBRIDGE_BENCH_SOAK sets the "
                             "default; 4 with --smoke)")
    parser.add_argument("--only", default=None,
                        help="comma-separated sections to run: " + ", ".join(run.SECTIONS)
                             + " (the report then holds only those; it goes to a temp file "
                             "unless --out is given)")
    args = parser.parse_args(argv)
    if args.only is not None:
        args.out = args.out or Path(tempfile.mkdtemp(prefix="bench-only-")) / "BENCHMARKS.md"
    if args.smoke:
        args.soak = args.soak or 4.0
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
    only = frozenset(run.SECTIONS)
    if args.only is not None:
        only = frozenset(s.strip() for s in args.only.split(",") if s.strip())
        unknown = sorted(only - set(run.SECTIONS))
        if unknown or not only:
            print(f"--only: unknown section(s) {', '.join(unknown) or '(none given)'}; choose "
                  f"from {', '.join(run.SECTIONS)}", file=sys.stderr)
            return 2
    try:
        soak_seconds = args.soak if args.soak is not None else soak.default_seconds()
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if soak_seconds < 2:
        print(f"--soak: at least 2 seconds, got {soak_seconds:g}", file=sys.stderr)
        return 2
    if args.duration <= 0 or args.repeats < 1 or any(n < 1 for n in sizes):
        print("--duration, --repeats and --sizes must be positive", file=sys.stderr)
        return 2
    started = time.monotonic()
    try:
        report = run.everything(args.smoke, args.no_peers, args.duration, args.repeats, sizes,
                                soak_seconds, only)
    except (install.InstallError, RuntimeError) as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    args.out.write_text(report, encoding="utf-8")
    print(f"wrote {args.out} in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
