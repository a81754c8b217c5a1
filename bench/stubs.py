"""The two exchanges every server under test answers, and the peers' stub files for them.

The peers answer with the exact bytes the fake bank gives for the same requests (taken from an
in-process fake bank at bench time), so every server sends bodies of the same size.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from fake_core_bank.fake import BankConfig, FakeBank
from fake_core_bank.http.app import BankApp

GET_PATH = "/v2/credit-lines/CL000001"
POST_PATH = "/v2/credit-lines/CL000001/drawdowns"
#: one fen: the smallest valid drawdown, so millions fit under a 100,000 CNY limit
POST_BODY = {"amount": 1, "currency": "CNY", "beneficiaryAccount": "6222021202041234567",
             "purposeCode": "WC01"}


@dataclass(frozen=True)
class Answers:
    """What the fake bank answers to the two requests: status, body bytes and the headers its
    app sends (the server adds ``date``)."""

    get_status: int
    get_body: bytes
    post_status: int
    post_body: bytes
    get_headers: tuple[tuple[str, str], ...] = ()
    post_headers: tuple[tuple[str, str], ...] = ()


def post_bytes() -> bytes:
    return json.dumps(POST_BODY, separators=(",", ":")).encode()


def sample_answers() -> Answers:
    """Ask an in-process fake bank (default config, 10 customers) once each."""

    async def ask() -> Answers:
        app = BankApp(FakeBank(BankConfig(customers=10)))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bank") as client:
            got = await client.get(GET_PATH)
            posted = await client.post(POST_PATH, content=post_bytes(), headers={
                "content-type": "application/json", "idempotency-key": "sample-1"})
        return Answers(got.status_code, got.content, posted.status_code, posted.content,
                       tuple(got.headers.multi_items()), tuple(posted.headers.multi_items()))

    answers = asyncio.run(ask())
    if answers.get_status != 200 or answers.post_status != 201:
        raise RuntimeError(f"the fake bank answered {answers.get_status}/{answers.post_status} "
                           "to the benchmark requests; expected 200/201")
    return answers


def wiremock_mappings(root: Path, answers: Answers) -> None:
    """WireMock's ``mappings/`` for the two exchanges."""
    mappings = root / "mappings"
    mappings.mkdir(parents=True, exist_ok=True)
    for name, method, path, status, body in (
        ("get", "GET", GET_PATH, 200, answers.get_body),
        ("post", "POST", POST_PATH, 201, answers.post_body),
    ):
        mapping = {"request": {"method": method, "url": path},
                   "response": {"status": status, "body": body.decode(),
                                "headers": {"Content-Type": "application/json"}}}
        (mappings / f"{name}.json").write_text(json.dumps(mapping))


def mountebank_imposters(path: Path, port: int, answers: Answers) -> None:
    """A mountebank config file with one imposter on ``port`` for the two exchanges."""
    stubs = [
        {"predicates": [{"equals": {"method": method, "path": route}}],
         "responses": [{"is": {"statusCode": status, "body": body.decode(),
                               "headers": {"Content-Type": "application/json"}}}]}
        for method, route, status, body in (("GET", GET_PATH, 200, answers.get_body),
                                            ("POST", POST_PATH, 201, answers.post_body))
    ]
    path.write_text(json.dumps({"imposters": [{"port": port, "protocol": "http",
                                               "stubs": stubs}]}))


def prism_document(path: Path, answers: Answers) -> None:
    """A small OpenAPI 3.1 document whose examples are the answers (JSON is valid YAML)."""
    def operation(status: int, body: bytes, request: bool) -> dict[str, Any]:
        op: dict[str, Any] = {"responses": {str(status): {
            "description": "ok",
            "content": {"application/json": {"example": json.loads(body)}}}}}
        if request:
            op["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": {"type": "object", "required": ["amount", "currency"],
                           "properties": {"amount": {"type": "integer", "minimum": 1},
                                          "currency": {"type": "string"}}}}}}
        return op

    document = {
        "openapi": "3.1.0",
        "info": {"title": "bench", "version": "1"},
        "paths": {GET_PATH: {"get": operation(200, answers.get_body, False)},
                  POST_PATH: {"post": operation(201, answers.post_body, True)}},
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1))


def ceiling_answers(path: Path, answers: Answers) -> None:
    """The file :mod:`bench.ceiling` and :mod:`bench.no_work_bank` read their paths and answers
    from."""
    path.write_text(json.dumps({"get_path": GET_PATH, "post_path": POST_PATH,
                                "get": answers.get_body.decode(),
                                "post": answers.post_body.decode(),
                                "get_headers": answers.get_headers,
                                "post_headers": answers.post_headers}))
