"""The child process that hosts one python connector for one scenario run.

``python -m harness.drivers.python_host TARGET SPEC`` imports the class (``module:Class``) and
waits: it may be started ahead of its run (a spare, so a run does not wait for Python and the
connector's imports). Its first line, ``{"op": "start", "bankUrl", "version"}``, makes the one
instance and is answered ``{"started": true}`` once it exists (so the scenario's clock does not
run while Python starts); then it answers the command protocol on stdin/stdout
(:mod:`harness.drivers.command`): one JSON request per line, one JSON answer per line. What
the connector prints goes to stderr (the harness keeps it as evidence), so it cannot corrupt
the answers. An exception becomes a ``failed`` answer naming it
(the traceback goes to stderr); ``sys.exit`` or ``os._exit`` ends the process, which the harness
reports as a connector failure. ``DRAWBRIDGE_PYTHON_PATH`` (JSON) is the harness's import path,
so the child finds what the harness found.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from typing import IO, Any

import orjson

from fake_core_bank.errors import InputError
from harness.drivers.python_protocol import invoke, load_class

PATH_VARIABLE = "DRAWBRIDGE_PYTHON_PATH"


def _failed(detail: str) -> dict[str, Any]:
    return {"outcome": "failed", "detail": detail}


def _encode(answer: Any) -> bytes:
    try:
        return orjson.dumps(answer)
    except TypeError as exc:
        return orjson.dumps(_failed(f"the connector's answer is not JSON: {exc}"))


def take_stdout() -> IO[bytes]:
    """The answers' stream (stdout as it is now); from here on, what the process prints lands in
    stderr: evidence, not a broken answer."""
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    return answers


def load_target(target: str, spec: str) -> type[Any] | None:
    """The connector's class, imported from the harness's import path
    (``DRAWBRIDGE_PYTHON_PATH``); None when it cannot be (why is on stderr)."""
    extra = json.loads(os.environ.get(PATH_VARIABLE) or "[]")
    sys.path[:0] = [p for p in extra if p not in sys.path]
    try:
        return load_class(target, spec)
    except InputError as exc:
        print(f"drawbridge: {exc.one_line()}", file=sys.stderr)
        return None


def serve(target: str, spec: str) -> int:
    answers = take_stdout()  # before the import: what the connector prints on import too
    cls = load_target(target, spec)
    return 2 if cls is None else serve_class(cls, answers)


def serve_class(cls: type[Any], answers: IO[bytes]) -> int:
    """Answer the protocol on stdin and ``answers`` for one instance of ``cls``; the exit
    code."""
    identity = getattr(cls, "DRAWBRIDGE", None)
    instance: Any = None
    broken: str | None = None
    for line in sys.stdin.buffer:
        request = orjson.loads(line)
        if request.get("op") == "start":  # the run's bank: make the connector (no answer)
            os.environ["DRAWBRIDGE_BANK_URL"] = request["bankUrl"]
            os.environ["DRAWBRIDGE_CORE_VERSION"] = request["version"]
            try:
                instance = cls(request["bankUrl"], version=request["version"])
            except Exception as exc:  # noqa: BLE001 -- any connector error is evidence
                broken = f"{cls.__name__}() raised {type(exc).__name__}: {exc}"
                traceback.print_exc(limit=3)
            answers.write(_encode({"started": broken is None, "detail": broken}) + b"\n")
            answers.flush()
            continue
        if request.get("op") == "hello":
            answer: Any = identity if isinstance(identity, dict) else {"name": cls.__name__}
        elif broken is not None:
            answer = _failed(broken)
        else:
            try:
                answer = invoke(instance, request)
            except Exception as exc:  # noqa: BLE001 -- any connector error is evidence
                traceback.print_exc(limit=3)
                answer = _failed(f"{type(exc).__name__}: {exc}")
        answers.write(_encode(answer) + b"\n")
        answers.flush()
    close = getattr(instance, "close", None)
    if callable(close):
        close()
    return 0


if __name__ == "__main__":
    sys.exit(serve(sys.argv[1], sys.argv[2]))
