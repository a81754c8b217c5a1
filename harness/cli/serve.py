"""``drawbridge serve``: the fake core bank as a real HTTP server until Ctrl-C."""

from __future__ import annotations

import gc
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

import click

from fake_core_bank import cores
from fake_core_bank.domain.journal_store import OVERFLOWS, Overflow
from fake_core_bank.errors import InputError
from fake_core_bank.fake import BankConfig, FakeBank
from fake_core_bank.server import BankServer, check_bind, new_token
from harness.cli.header_options import chosen_policy, header_options
from harness.cli.options import check_time_scale, core_option

#: journal entries a served bank keeps in memory (about 1 KB each): docs/journal.md
SERVE_JOURNAL_MEMORY = 20_000
#: final bookings a served bank keeps in memory (under 1 KB each with their key; the oldest
#: spill 500 at a time, a pause of some 1.5-5 ms): docs/journal.md
SERVE_LEDGER_MEMORY = 10_000


def parse_versions(text: str | None, option: str = "--versions") -> tuple[str, ...]:
    """``v1,v3`` as versions of the active core model (None: all of them)."""
    model = cores.active()
    if text is None:
        versions = model.versions
    else:
        versions = tuple(v.strip() for v in text.split(",") if v.strip())
    if not versions:
        raise InputError(option, "no version given",
                         f"list some of {', '.join(model.versions)}")
    for version in versions:
        model.check_version(option, version)
    model.require_contracts()  # never announce a version that cannot be served
    return versions


def served_versions(text: str | None) -> tuple[str, ...]:
    """What ``serve`` makes live: a core whose releases replace each other (no side by side)
    serves one, its newest unless told otherwise."""
    model = cores.active()
    if model.evolution.side_by_side:
        return parse_versions(text)
    versions = parse_versions(text if text is not None else ",".join(model.live_at_start()))
    if len(versions) > 1:
        raise InputError("--versions", f"core {model.name} serves one version at a time, "
                         f"not {', '.join(versions)}",
                         "give one version (an upgrade through the control API replaces it)")
    return versions


@click.command()
@header_options
@core_option
@click.option("--versions", default=None,
              help="Contract versions to serve, comma-separated (default: every version of "
                   "the core model).")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Seed of the generated enterprises and the error texts.")
@click.option("--customers", type=click.IntRange(min=0), default=10, show_default=True,
              help="Enterprises to generate, each with one credit line.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; anything but loopback needs --allow-remote and a token.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True,
              help="Port to bind; 0 picks a free one.")
@click.option("--token", envvar="DRAWBRIDGE_TOKEN", default=None,
              help="Bearer token for the control API (generated when binding beyond loopback).")
@click.option("--allow-remote", is_flag=True,
              help="Allow a non-loopback --host, and requests whose Host is not a loopback name.")
@click.option("--time-scale", type=float, callback=check_time_scale, default=3600.0,
              show_default=True, help="Virtual seconds per wall second during operations.")
@click.option("--journal", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write every exchange to this JSON Lines file.")
@click.option("--journal-memory", type=click.IntRange(min=1), default=SERVE_JOURNAL_MEMORY,
              show_default=True,
              help="Journal entries kept in memory; older ones go by --journal-overflow.")
@click.option("--journal-overflow", type=click.Choice(OVERFLOWS), default="spill",
              show_default=True,
              help="Beyond --journal-memory: spill older entries to a temporary file (the "
                   "control API still serves them) or drop them with a count.")
@click.option("--ledger-memory", type=click.IntRange(min=1), default=SERVE_LEDGER_MEMORY,
              show_default=True,
              help="Final bookings (drawdowns, repayments) kept in memory; older ones spill to "
                   "a temporary file, still answered (PENDING drawdowns always stay).")
@click.option("--self-check", is_flag=True,
              help="Check every answer against the contract too (journaled as "
                   "response_violations); the test suite does this, a server needs not.")
def serve(versions: str | None, seed: int, customers: int, host: str, port: int, token: str | None,
          allow_remote: bool, time_scale: float, journal: Path | None, journal_memory: int,
          journal_overflow: Overflow, ledger_memory: int, self_check: bool) -> None:
    """Serve the fake core bank (all contract versions side by side) until Ctrl-C."""
    generated = allow_remote and not token
    if generated:
        token = new_token()
    served = served_versions(versions)
    config = BankConfig(seed=seed, versions=served, customers=customers,
                        time_scale=time_scale, journal_path=journal,
                        journal_limit=journal_memory, journal_overflow=journal_overflow,
                        ledger_limit=ledger_memory, validate_responses=self_check)
    check_bind(host, token, allow_remote)
    try:
        bank = FakeBank(config)
    except OSError as exc:
        # The journal opens with the bank: name that file, not the port.
        raise InputError("--journal", f"cannot open {journal}: {exc.strerror}",
                         "choose a writable file path") from exc
    try:
        server = BankServer(bank=bank, host=host, port=port, token=token,
                            allow_remote=allow_remote, headers=chosen_policy())
    except OSError as exc:
        raise InputError("--host/--port", f"cannot bind {host}:{port}: {exc.strerror}",
                         "pick an address of this machine and another port, or --port 0 for a "
                         "free one") from exc
    tune_collector()
    # Ctrl-C and SIGTERM stop the bank from here on: one that came before the handler (a
    # script that signals as soon as the address is printed) once fell into whatever ran then
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    server.start()
    click.echo(f"fake core bank: {server.base_url} (core {cores.active().name}, versions "
               f"{', '.join(served)}, "
               f"seed {seed}, {customers} customers)")
    # A token the user supplied (--token, DRAWBRIDGE_TOKEN) is never printed: logs keep it.
    access = (f"  token: {token}" if generated else "  (token required)" if token
              else "  (no token: loopback only)")
    click.echo(f"control API:    {server.base_url}/_control{access}")
    sys.stdout.flush()
    while not stop.wait(0.2):
        pass
    server.stop()
    server.bank.journal.close()
    server.bank.core.close()
    click.echo("stopped")


#: Allocations between young collections for a serving process (CPython's default is 700).
YOUNG_THRESHOLD = 10_000


def tune_collector() -> None:
    """Garbage-collector settings for a process that only serves the fake bank.

    The seeded state (a million lines at most) lives as long as the process and holds no
    cycles: frozen, no collection walks it again. Young collections every 10,000 allocations
    instead of 700: a request allocates a few hundred short-lived objects, and fewer, larger
    young collections halved the 99th-percentile latency at 8 connections (6-8 ms to about
    3 ms, measured by hand with wrk beside the journal change in docs/benchmarks.md). Only the
    ``serve`` process does this; a bank inside a user's test process leaves its collector alone.
    """
    gc.freeze()  # no collect() first: 8 ms of a 0.3 s start, for a few import-time cycles
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
