"""The request path's shortcuts (issue 19) answer exactly what the long way answers.

Each shortcut skips work in the common case (a path with nothing to percent-encode, a
Content-Type that is already a declared media type, a body in one ASGI message, no integer
reading of a parameter declared as a string, the text of the datetime the one before asked
for); each is checked
here against the long way it replaces, on generated inputs and on the edges.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fake_core_bank import cores
from fake_core_bank.contracts import Parameter, coerce
from fake_core_bank.http.app import MAX_BODY, _read_body, content_type, quote_path
from fake_core_bank.http.serving import BodyCut
from fake_core_bank.http.wire import iso, iso_full

#: path-like text: the characters quote treats specially, and any others (no lone surrogates:
#: an ASGI path is decoded text)
PATHY = st.text(alphabet=st.sampled_from(list("/aZ09_.-~ %?#é\x00;:@+"))
                | st.characters(exclude_categories=["Cs"]), max_size=40)


@given(PATHY)
def test_quote_path_is_quote_with_slash_safe(path: str) -> None:
    assert quote_path(path) == quote(path, safe="/")


def test_quote_path_encodes_what_quote_encodes() -> None:
    for path in ("/v2/credit-lines/CL000001", "/v2/credit-lines/CL%00", "/v2/a b", "/v2/é",
                 "/v2/x?y", "", "/~user/a.b-c_d"):
        assert quote_path(path) == quote(path, safe="/"), path


def _long_way(value: str) -> str:
    return value.split(";")[0].strip().lower()


DECLARED = {"application/json": None, "application/problem+json": None}


@given(st.sampled_from(["application/json", "Application/JSON", " application/json",
                        "application/json; charset=utf-8", "text/plain", "", ";",
                        "application/problem+json"]) | st.text(max_size=30))
def test_content_type_is_the_media_type_without_parameters_in_lower_case(value: str) -> None:
    assert content_type(value, DECLARED) == _long_way(value)


def _read(messages: list[dict[str, Any]]) -> tuple[bytes, bool]:
    queue = list(messages)

    async def receive() -> dict[str, Any]:
        return queue.pop(0) if queue else {"type": "http.disconnect"}

    return asyncio.run(_read_body(receive))


def _chunked(body: bytes, size: int) -> list[dict[str, Any]]:
    parts = [body[i:i + size] for i in range(0, len(body), size)] or [b""]
    return [{"type": "http.request", "body": part, "more_body": n < len(parts) - 1}
            for n, part in enumerate(parts)]


def test_a_body_in_one_message_reads_as_the_same_body_in_chunks() -> None:
    for body in (b"", b"{}", b'{"amount":1}' * 100, b"x" * MAX_BODY, b"x" * (MAX_BODY + 1)):
        one = _read([{"type": "http.request", "body": body, "more_body": False}])
        assert one == _read(_chunked(body, 4096)), len(body)
    assert _read([{"type": "http.request", "body": b"x" * (MAX_BODY + 1)}]) == (b"", True)
    assert _read([{"type": "http.request", "body": b"{}"}]) == (b"{}", False)
    assert _read([{"type": "http.request"}]) == (b"", False)


def test_a_client_gone_before_or_during_its_body_is_a_cut_never_a_body() -> None:
    # It read as what had come, and the bank served it (test_cut_request.py).
    with pytest.raises(BodyCut, match="closed after 0 bytes of the request's body"):
        _read([{"type": "http.disconnect"}])
    with pytest.raises(BodyCut, match="closed after 2 bytes of the request's body"):
        _read([{"type": "http.request", "body": b"ab", "more_body": True},
               {"type": "http.disconnect"}])


def _parameters() -> list[Parameter]:
    model = cores.active()
    return [p for version in model.versions for op in model.contract(version).operations
            for p in op.parameters]


@given(st.from_regex(r"-?[0-9]{1,20}", fullmatch=True) | st.text(max_size=12))
def test_a_textual_parameter_never_reads_as_an_integer_so_none_is_tried(value: str) -> None:
    textual = [p for p in _parameters() if p.textual]
    assert textual, "the contracts declare string parameters"
    for p in textual:
        try:
            typed = coerce(value, p.validator)
        except ValueError:
            typed = value
        assert typed == value, (p.name, value)


def test_every_parameter_is_looked_up_and_named_as_before() -> None:
    for p in _parameters():
        assert p.key == (p.name.lower() if p.location == "header" else p.name)
        assert p.where == (f"header {p.name}" if p.location == "header" else p.name)
        assert p.textual == (p.schema.get("type") == "string")


#: datetimes that differ in ways isoformat shows: the instant, microseconds, the zone (the
#: same instant in two zones compares equal, so the kept text must go by identity)
MOMENTS = st.datetimes(timezones=st.sampled_from(
    [UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-3, minutes=-30))]))


@given(st.lists(st.tuples(MOMENTS, st.booleans()), min_size=1, max_size=12))
def test_iso_texts_are_isoformats_of_each_value_asked_again_or_not(asks) -> None:
    previous = None
    for moment, again in asks:
        value = previous if again and previous is not None else moment
        assert iso(value) == value.isoformat(timespec="seconds")
        assert iso_full(value) == value.isoformat()
        twin = value.astimezone(timezone(timedelta(hours=1)))  # equal, another text
        assert iso(twin) == twin.isoformat(timespec="seconds")
        previous = value


def test_iso_shared_by_threads_never_answers_one_value_with_anothers_text() -> None:
    values = [datetime(2026, 3, 2, 9, n % 60, n % 60, tzinfo=timezone(timedelta(hours=8)))
              for n in range(8)]
    wrong: list[datetime] = []

    def ask() -> None:
        for _ in range(3000):
            for value in values:
                if iso_full(value) != value.isoformat():
                    wrong.append(value)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns as often as they can
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert wrong == []
