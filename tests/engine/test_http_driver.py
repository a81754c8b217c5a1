"""``--connector http://host:port``: a connector running as a service.

The reference connector served over HTTP (examples/connectors/reference_http) passes the whole
library, with two jobs sharing the one service; services that misbehave fail their operations
with the reason, never the harness.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from engine_helpers import REPO, explain, library, run

from harness import demo
from harness.drivers import driver_factory


@pytest.fixture(scope="module")
def reference_service() -> Iterator[str]:
    """``python -m examples.connectors.reference_http --port 0``, as ``make demo`` starts it."""
    with demo.reference_service(ports=(0,)) as url:
        assert url.startswith("http://127.0.0.1:")
        yield url


def test_the_service_reports_its_identity(reference_service: str) -> None:
    _, identity = driver_factory(reference_service)
    assert (identity.name, identity.version, identity.contracts) == (
        "reference-http", "1.0.0", ("v2", "v3"))
    assert identity.spec == reference_service


@pytest.mark.slow
def test_the_reference_service_passes_the_whole_library_with_two_jobs_sharing_it(
        reference_service: str) -> None:
    # One service holds one connector; two jobs take turns on it instead of reconfiguring it
    # under each other (which would book on the wrong bank and fail scenarios at random).
    results = run(reference_service, ["v2", "v3"], jobs=2)
    assert len(results) == sum(("v2" in s.versions) + ("v3" in s.versions) for s in library())
    assert {r.connector.name for r in results} == {"reference-http"}
    assert all(r.passed for r in results), explain(results)


class _Service(BaseHTTPRequestHandler):
    """A connector service that misbehaves as ``behaviour`` says."""

    behaviour: ClassVar[dict[str, Any]] = {}

    def log_message(self, *args: Any) -> None:
        pass

    def _answer(self, status: int, body: bytes, kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("content-type", kind)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _drip(self, headers_too: bool) -> None:
        """One byte every 0.2 s for a minute: each read is quick, the whole answer is not."""
        body = b'{"outcome": "succeeded", "pad": "' + b" " * 250 + b'"}'
        head = (b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                b"content-length: " + str(len(body)).encode() + b"\r\n\r\n")
        if not headers_too:
            self.wfile.write(head)
            head = b""
        try:
            for byte in head + body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass  # the harness gave up on it, as it should

    def do_GET(self) -> None:
        self._answer(200, json.dumps({"name": "hostile", "version": "0"}).encode())

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        if self.path == "/drawbridge/configure":
            status = self.behaviour.get("configure", 200)
            self._answer(status, b'{"error": "boom"}' if status >= 400 else b"{}")
        elif self.behaviour.get("operations") == "huge":
            self._answer(200, b'{"outcome": "failed", "detail": "' + b"z" * 3_000_000 + b'"}')
        elif self.behaviour.get("operations") == "html":
            self._answer(200, b"<html>oops</html>", "text/html")
        elif self.behaviour.get("operations") == "hang":
            time.sleep(3)
            self._answer(200, b'{"outcome": "succeeded"}')
        elif self.behaviour.get("operations") in ("drip-body", "drip-headers"):
            self._drip(self.behaviour["operations"] == "drip-headers")
        else:
            self._answer(200, b'{"outcome": "succeeded", "data": {}}')


@pytest.fixture
def hostile() -> Iterator[tuple[str, dict[str, Any]]]:
    behaviour: ClassVar[dict[str, Any]] = {}
    handler = type("Handler", (_Service,), {"behaviour": behaviour})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", behaviour
    finally:
        server.shutdown()
        server.server_close()


def _one_operation(url: str, timeout: float = 5.0) -> tuple[Any, list[str]]:
    make, _ = driver_factory(url)
    driver = make()
    driver.start("http://127.0.0.1:9", "v2")
    try:
        outcome = driver.perform({"op": "get-line", "line": "CL000001"}, timeout)
    finally:
        driver.stop()
    return outcome, driver.notes.lines


def test_a_service_that_refuses_configure_fails_every_operation_with_why(hostile) -> None:
    url, behaviour = hostile
    behaviour["configure"] = 500
    outcome, notes = _one_operation(url)
    assert outcome.status == "failed"
    assert outcome.detail.startswith("connector service refused configure (500)")
    assert any("refused configure (500)" in n for n in notes)


def test_an_answer_that_is_not_json_fails_the_operation(hostile) -> None:
    url, behaviour = hostile
    behaviour["operations"] = "html"
    outcome, _ = _one_operation(url)
    assert (outcome.status, outcome.detail) == (
        "failed", "driver endpoint answered 200 without JSON")


def test_a_hung_operation_times_out(hostile) -> None:
    url, behaviour = hostile
    behaviour["operations"] = "hang"
    outcome, _ = _one_operation(url, timeout=0.5)
    assert outcome.status == "failed"
    assert outcome.detail == "timeout: no answer within 0.5s"


@pytest.mark.parametrize("drip", ["drip-body", "drip-headers"])
def test_the_op_timeout_is_a_deadline_for_the_whole_operation(hostile, drip) -> None:
    # The service answers a byte at a time: a per-read timeout never fires, the answer would
    # take a minute; the operation must end at its deadline instead.
    url, behaviour = hostile
    behaviour["operations"] = drip
    began = time.monotonic()
    outcome, _ = _one_operation(url, timeout=1.0)
    assert outcome.status == "failed"
    assert outcome.detail == "timeout: no answer within 1s"
    assert time.monotonic() - began < 40  # far less than the drip's minute, however loaded


def test_an_answer_over_the_size_limit_fails_the_operation(hostile) -> None:
    url, behaviour = hostile
    behaviour["operations"] = "huge"
    outcome, _ = _one_operation(url, timeout=60.0)
    assert outcome.status == "failed"
    assert outcome.detail == ("driver endpoint answered more than 1048576 bytes; the limit is "
                              "1048576")


def test_a_sound_service_succeeds(hostile) -> None:
    url, _ = hostile
    outcome, notes = _one_operation(url)
    assert outcome.status == "succeeded" and notes == []


@pytest.mark.parametrize(("args", "env", "says"), [
    (["--port", "99999"], {}, "--port 99999 is not a TCP port"),
    ([], {"DRAWBRIDGE_CONNECTOR_PORT": "http"}, "DRAWBRIDGE_CONNECTOR_PORT='http' is not a port"),
    (["--host", "no-such-host.invalid", "--port", "0"], {}, "cannot listen on no-such-host"),
])
def test_the_example_service_refuses_a_bad_address_in_one_line(args, env, says) -> None:
    done = subprocess.run([sys.executable, "-m", "examples.connectors.reference_http", *args],
                          cwd=REPO, capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", **env}, check=False)
    assert done.returncode == 2
    assert says in done.stderr and "Traceback" not in done.stderr
