"""The servers under load: the fake bank, the Python ceiling and the peers, each started the same
way (a child process on a free loopback port, first answer awaited) and configured with
equivalent stubs (see :mod:`bench.stubs`)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench import stubs
from bench.install import Peers
from bench.procs import HOST, Child, spawn
from harness.drivers.container import free_port

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Server:
    """A named way to start one server under test."""

    key: str
    label: str
    start: Callable[[Path], Child]  # work directory -> running child
    peer: bool = True


def fake_bank(customers: int = 10, timeout: float = 60.0,
              extra: Sequence[str] = ()) -> Callable[[Path], Child]:
    def start(work: Path) -> Child:
        port = free_port()
        argv = [str(Path(sys.executable).with_name("drawbridge")), "serve", "--port", str(port),
                "--customers", str(customers), *extra]
        return spawn("fake bank", argv, port, stubs.GET_PATH, cwd=work,
                     log=work / "fake-bank.log", timeout=timeout)
    return start


def ceiling(work: Path) -> Child:
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", "bench.ceiling:app", "--host", HOST, "--port",
            str(port), "--loop", "uvloop", "--http", "httptools", "--no-access-log",
            "--log-level", "warning"]
    return spawn("starlette ceiling", argv, port, stubs.GET_PATH, cwd=REPO,
                 env={"DRAWBRIDGE_BENCH_ANSWERS": str(work / "answers.json")},
                 log=work / "ceiling.log")


def no_work_bank(work: Path) -> Child:
    """The fake bank's own server answering its bytes with the work taken out
    (:mod:`bench.no_work_bank`): not a peer, a floor of the levers section."""
    port = free_port()
    argv = [sys.executable, "-m", "bench.no_work_bank", str(port)]
    return spawn("fake bank's server, no work", argv, port, stubs.GET_PATH, cwd=REPO,
                 env={"DRAWBRIDGE_BENCH_ANSWERS": str(work / "answers.json")},
                 log=work / "no-work-bank.log")


def wiremock(peers: Peers, lean: bool) -> Callable[[Path], Child]:
    def start(work: Path) -> Child:
        port = free_port()
        argv = ["java", "-jar", str(peers.wiremock_jar), "--port", str(port), "--bind-address",
                HOST, "--root-dir", str(work / "wiremock"), "--disable-banner"]
        if lean:
            argv += ["--no-request-journal", "--disable-request-logging"]
        return spawn("wiremock", argv, port, stubs.GET_PATH, cwd=work,
                     log=work / f"wiremock{'-lean' if lean else ''}.log")
    return start


def prism(peers: Peers) -> Callable[[Path], Child]:
    def start(work: Path) -> Child:
        port = free_port()
        argv = [str(peers.prism_bin), "mock", str(work / "prism.json"), "-h", HOST, "-p",
                str(port)]
        return spawn("prism", argv, port, stubs.GET_PATH, cwd=work, log=work / "prism.log")
    return start


def mountebank(peers: Peers) -> Callable[[Path], Child]:
    def start(work: Path) -> Child:
        admin, port = free_port(), free_port()
        config = work / "imposters.json"
        stubs.mountebank_imposters(config, port, answers_of(work))
        argv = [str(peers.mountebank_bin), "start", "--port", str(admin), "--host", HOST,
                "--localOnly", "--configfile", str(config)]
        child = spawn("mountebank", argv, port, stubs.GET_PATH, cwd=work,
                      log=work / "mountebank-out.log")
        return child
    return start


def prepare(work: Path, answers: stubs.Answers) -> None:
    """Write every server's stub files into ``work`` (outside the repository)."""
    work.mkdir(parents=True, exist_ok=True)
    stubs.ceiling_answers(work / "answers.json", answers)
    stubs.wiremock_mappings(work / "wiremock", answers)
    stubs.prism_document(work / "prism.json", answers)
    (work / "answers.bin").write_bytes(answers.get_body + b"\0" + answers.post_body)


def answers_of(work: Path) -> stubs.Answers:
    get_body, post_body = (work / "answers.bin").read_bytes().split(b"\0")
    return stubs.Answers(200, get_body, 201, post_body)


def lineup(peers: Peers | None) -> list[Server]:
    """Fake bank and ceiling always; the peers when installed. Order is the run order."""
    servers = [Server("fakebank", "Drawbridge fake bank (stateful, requests validated, journaled)",
                      fake_bank(), peer=False),
               Server("ceiling", "Starlette + uvicorn, no work (Python ceiling)", ceiling,
                      peer=False)]
    if peers is not None:
        servers += [
            Server("wiremock", f"WireMock {peers.versions['wiremock']} default",
                   wiremock(peers, lean=False)),
            Server("wiremock-lean", f"WireMock {peers.versions['wiremock']} journal and "
                   "request log off", wiremock(peers, lean=True)),
            Server("prism", f"Prism {peers.versions['prism']} default", prism(peers)),
            Server("mountebank", f"mountebank {peers.versions['mountebank']} default",
                   mountebank(peers)),
        ]
    return servers
