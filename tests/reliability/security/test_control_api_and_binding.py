"""The control API is locked with a bearer token; binding beyond loopback needs an explicit
flag and a token.

Over the real server (uvicorn on loopback): every control route refuses a request without the
token, with a wrong one, with the right one under another scheme or with extra characters, and
the refused request changes nothing. ``drawbridge serve`` refuses a non-loopback host without
``--allow-remote``, and with it generates a token when none is given, so an exposed control API
is never open.
"""

from __future__ import annotations

import json
import re
import signal

import pytest
from reliability_kit import TOKEN, cli, popen
from reliability_rawhttp import RawConnection, request_bytes

from fake_core_bank.errors import InputError
from fake_core_bank.server import BankServer

ROUTES = [
    (b"GET", b"/_control/health", b""), (b"POST", b"/_control/reset", b'{"seed": 5}'),
    (b"GET", b"/_control/state", b""), (b"POST", b"/_control/state", b"{}"),
    (b"PUT", b"/_control/lines/CL000001/status", b'{"status": "FROZEN"}'),
    (b"POST", b"/_control/lines/CL000001/external-drawdowns", b'{"amount": 100}'),
    (b"POST", b"/_control/maintenance", b'{"durationSeconds": 3600}'),
    (b"POST", b"/_control/policies", b"{}"), (b"DELETE", b"/_control/policies/p1", b""),
    (b"GET", b"/_control/clock", b""),
    (b"PUT", b"/_control/clock", b'{"now": "2030-01-01T00:00:00+08:00"}'),
    (b"POST", b"/_control/clock/advance", b'{"seconds": 86400}'),
    (b"PUT", b"/_control/versions", b'{"serve": ["v1"]}'),
    (b"POST", b"/_control/faults", b'{"kind": "error"}'), (b"DELETE", b"/_control/faults", b""),
    (b"GET", b"/_control/journal", b""), (b"POST", b"/_control/operations/begin", b'{"name": "x"}'),
]
WRONG = [
    [],  # no Authorization at all
    [(b"Authorization", b"Bearer not-the-token")],
    [(b"Authorization", b"Basic " + TOKEN.encode())],
    [(b"Authorization", b"Bearer " + TOKEN.encode() + b"x")],
    [(b"Authorization", b"Bearer " + TOKEN[:-1].encode())],
    [(b"Authorization", TOKEN.encode())],
    [(b"X-Api-Key", TOKEN.encode())],
]


def test_every_control_route_refuses_a_missing_or_wrong_token_and_changes_nothing(
        guarded_server: BankServer) -> None:
    bank = guarded_server.bank
    before = (bank.snapshot(), bank.clock.now(), len(bank.journal))
    connection = RawConnection(guarded_server.port)
    try:
        for method, path, body in ROUTES:
            for headers in WRONG:
                status, _, answer = connection.exchange(request_bytes(
                    method, path, [(b"Content-Type", b"application/json"), *headers], body))
                assert status == 401, (method, path, headers, answer)
                assert json.loads(answer) == {"error": "missing or wrong bearer token"}
        assert (bank.snapshot(), bank.clock.now(), len(bank.journal)) == before
        status, _, _ = connection.exchange(request_bytes(
            b"GET", b"/_control/clock", [(b"Authorization", b"bearer " + TOKEN.encode())], b""))
        assert status == 200  # the right token opens it (scheme case-insensitive, RFC 9110)
    finally:
        connection.close()


@pytest.mark.parametrize(("host", "allow", "token", "says"), [
    ("0.0.0.0", False, "t", r"--host: 0\.0\.0\.0 is not a loopback address; fix: pass "
                            r"--allow-remote"),
    ("::", False, None, r"--host: :: is not a loopback address"),
    ("0.0.0.0", True, None, r"--host: binding 0\.0\.0\.0 needs a control token; fix: pass "
                            r"--token or set DRAWBRIDGE_TOKEN"),
    ("0.0.0.0", True, "", r"needs a control token"),
])
def test_binding_beyond_loopback_needs_the_flag_and_a_token(host: str, allow: bool,
                                                            token: str | None, says: str) -> None:
    with pytest.raises(InputError, match=says):
        BankServer(host=host, port=0, token=token, allow_remote=allow)


def test_serve_refuses_a_remote_host_without_the_flag() -> None:
    done = cli("serve", "--host", "0.0.0.0", "--port", "0", timeout=30)
    assert done.returncode == 2
    assert re.fullmatch(r"drawbridge: --host: 0\.0\.0\.0 is not a loopback address; fix: .+\n",
                        done.stderr)


def test_serve_with_allow_remote_generates_a_token_and_locks_the_control_api() -> None:
    process = popen("serve", "--host", "0.0.0.0", "--allow-remote", "--port", "0",
                    "--customers", "1")
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        second = process.stdout.readline()
        port = int(re.search(r":(\d+) ", first).group(1))  # type: ignore[union-attr]
        token = re.search(r"token: (\S+)", second)
        assert token and len(token.group(1)) >= 24, second
        connection = RawConnection(port)
        status, _, _ = connection.exchange(request_bytes(b"POST", b"/_control/reset", [], b""))
        assert status == 401
        status, _, _ = connection.exchange(request_bytes(
            b"GET", b"/_control/health",
            [(b"Authorization", b"Bearer " + token.group(1).encode())], b""))
        assert status == 200
        connection.close()
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=15)
