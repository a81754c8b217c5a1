"""``drawbridge mutate`` on another core: its model's operators, and the REST ones harmless.

A temporary core model names a module of its own operators (written to a temporary folder, as a
bank's package would be): ``mutate`` selects from them and digests them. The built-in REST
operators meet an envelope wire (one POST path, ``sysHead`` bodies, refusals inside HTTP 200):
none crashes, and those that read REST headers or status codes find nothing to change.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from fake_core_bank import cores
from fake_core_bank.cores import CoreModel
from fake_core_bank.errors import InputError
from fake_core_bank.http.adapters.v2 import V2
from fake_core_bank.lending import core as lending
from harness.mutate import catalogue
from harness.mutate.operators import CATALOGUE, catalogue_digest
from harness.mutate.operators.base import RunState
from harness.mutate.wire import Exchange, WireRequest, WireResponse

OPERATORS_MODULE = '''
from harness.mutate.operators.base import Operator, json_rewrite, on_response


def _envelope(e):
    return isinstance(e.response_body, dict) and "sysHead" in e.response_body


def _success(data):
    data["sysHead"]["retStatus"] = "S"


OPERATORS = (
    Operator("every-200-is-success", "report every answer as retStatus S",
             "reads the HTTP status, not retStatus", ("truthful-outcome",),
             "refuses a drawdown inside HTTP 200", _envelope,
             on_response(_envelope, json_rewrite(_success))),
)
'''


def core_with(module: str) -> CoreModel:
    return CoreModel(name="envelope", versions=("v2",), contracts={"v2": lending.contracts["v2"]},
                     adapters={"v2": V2()}, mutation_operators=module)


@pytest.fixture
def own_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    name = f"envelope_ops_{tmp_path.name.replace('-', '_')}"
    (tmp_path / f"{name}.py").write_text(OPERATORS_MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name
    sys.modules.pop(name, None)


def test_mutate_uses_the_active_cores_operators(own_module: str) -> None:
    with cores.using(core_with(own_module)):
        assert list(catalogue.active()) == ["every-200-is-success"]
        assert [op.id for op in catalogue.select(None)] == ["every-200-is-success"]
        with pytest.raises(InputError, match=r"unknown operator 'hammer-503'.*every-200"):
            catalogue.select("hammer-503")
        own = catalogue.digest()
    assert own.startswith("sha256:") and own != catalogue_digest()


def test_the_built_in_core_keeps_the_built_in_catalogue() -> None:
    with cores.using(lending):
        assert catalogue.active() is CATALOGUE
        assert catalogue.digest() == catalogue_digest()
        assert catalogue.select("hammer-503") == (CATALOGUE["hammer-503"],)


def test_a_module_without_operators_is_one_line(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "no_ops_here.py").write_text("OPERATORS = ()\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with cores.using(core_with("no_ops_here")), pytest.raises(InputError) as caught:
        catalogue.active()
    assert "no_ops_here.OPERATORS is not a non-empty sequence of Operator" in str(caught.value)
    with cores.using(core_with("not_a_module_anywhere")), pytest.raises(InputError, match=(
            "cannot import not_a_module_anywhere")):
        catalogue.active()
    sys.modules.pop("no_ops_here", None)


REQUEST = WireRequest("POST", "/gateway", "", (("content-type", "application/json"),),
                      orjson.dumps({"sysHead": {"serviceCode": "LN0002", "consumerSeqNo": "S1"},
                                    "body": {"amount": "150000.00"}}))
REFUSED = WireResponse(200, (("content-type", "application/json"),),
                       orjson.dumps({"sysHead": {"retStatus": "F",
                                                 "ret": [{"retCode": "LN1003",
                                                          "retMsg": "额度已冻结"}]},
                                     "body": {}}))
BUSY = WireResponse(503, (("content-type", "application/json"),),
                    orjson.dumps({"sysHead": {"retStatus": "F",
                                              "ret": [{"retCode": "GW9001"}]}}))


@pytest.mark.parametrize("op", list(CATALOGUE.values()), ids=lambda op: op.id)
@pytest.mark.parametrize("answer", [REFUSED, BUSY, None], ids=["refused-in-200", "503", "cut"])
def test_a_rest_operator_does_not_crash_on_an_envelope_wire(op: object,
                                                            answer: WireResponse | None) -> None:
    from harness.mutate.operators.base import Operator
    assert isinstance(op, Operator)
    exchanges = [Exchange.live(REQUEST, answer)] * 2
    op.applicable(exchanges)
    for exchange in exchanges:
        op.touches(exchange)

    async def forward(request: WireRequest) -> WireResponse:
        if answer is None:
            raise ConnectionError("cut")
        return answer

    async def once() -> None:
        try:
            await op.intercept(REQUEST, forward, RunState())
        except ConnectionError:
            pass  # the bank's cut passed on, as to the connector
    asyncio.run(once())


def test_rest_header_and_status_operators_find_nothing_on_an_envelope_wire() -> None:
    traffic = [Exchange.live(REQUEST, REFUSED), Exchange.live(REQUEST, BUSY)]
    idle = {op.id for op in CATALOGUE.values() if not op.applicable(traffic)}
    assert {"drop-idempotency-key", "strip-retry-after", "strip-locked-until",
            "drop-reason-code", "accepted-as-created", "retry-refusals"} <= idle


OWN_CORE = '''
from fake_core_bank.cores import CoreModel
from fake_core_bank.lending import core as lending
from harness.mutate.operators.base import Operator, json_rewrite, on_response


def _refused(e):
    return isinstance(e.response_body, dict) and "reasonCode" in e.response_body


def _unknown(data):
    data["reasonCode"] = "UNKNOWN"


OPERATORS = (
    Operator("reason-unknown", "say UNKNOWN for every reason", "drops the reason",
             ("reason-propagation",), "refuses with a reason", _refused,
             on_response(_refused, json_rewrite(_unknown))),
)

core = CoreModel(name="lending-own-operators", versions=lending.versions,
                 contracts=lending.contracts, adapters=lending.adapters,
                 mutation_operators=__name__)
'''


def test_drawbridge_mutate_runs_the_cores_operators(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from harness.cli.main import main
    from tests.mutate.mutate_kit import REFERENCE, small_profile

    (tmp_path / "own_core_ops.py").write_text(OWN_CORE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    out = tmp_path / "out"
    with cores.using(lending):  # --core activates its model: the test's ends with the block
        main(["mutate", "--core", "own_core_ops:core", "--connector", REFERENCE, "--out",
              str(out), "--profile", str(small_profile(tmp_path, "frozen-line"))])
    sys.modules.pop("own_core_ops", None)
    report = orjson.loads((out / "mutation.json").read_bytes())
    assert [op["id"] for op in report["catalogue"]["operators"]] == ["reason-unknown"]
    assert report["catalogue"]["digest"] != catalogue_digest()
    assert report["score"]["value"] == 1.0, report  # reason-propagation killed it
    assert "reason-unknown" in (out / "mutation.md").read_text("utf-8")
