"""The bank's human texts vary per request by default; the codes never do (issue 13 part 3).

A connector that decides by keywords of the texts the docs show must meet texts without them in
any scenario, not only in one: the detail is drawn from the reason's own wordings and vague
ones that name no reason, the problem title's language varies, and a seed fixes the sequence.
"""

from __future__ import annotations

import httpx

from fake_core_bank.domain.messages import TEXTS, TITLES
from fake_core_bank.domain.model import Reason
from fake_core_bank.fake import BankConfig, FakeBank
from tests.fake_core_bank.bank_testkit import drawdown_body

FROZEN_DOC_TEXT = TEXTS[Reason.LINE_FROZEN][0]
FROZEN_DOC_TITLE = TITLES["en"][Reason.LINE_FROZEN]


def frozen_refusals(client: httpx.Client, bank: FakeBank, version: str, n: int) -> list[dict]:
    bank.set_line_status("CL000001", "FROZEN")
    account = bank.core.get_customer("ENT000001").account_no
    answers = [client.post(f"/{version}/credit-lines/CL000001/drawdowns",
                           json=drawdown_body(version, 100_00, account),
                           headers={"Idempotency-Key": f"k{i}"}) for i in range(n)]
    assert {a.status_code for a in answers} == {409}
    return [a.json() for a in answers]


def test_texts_vary_by_default_while_the_reason_code_stays(client, bank):
    assert BankConfig().message_variants  # the default, for every scenario and `serve`
    problems = frozen_refusals(client, bank, "v2", 12)
    assert {p["reasonCode"] for p in problems} == {"LINE_FROZEN"}
    assert len({p["detail"] for p in problems}) == 12  # a trace number at least
    titles = {p["title"] for p in problems}
    assert FROZEN_DOC_TITLE in titles and len(titles) == 2  # English and Chinese
    # Keyword rules tuned to the docs' texts ("冻结" of 额度已冻结, "frozen") miss the first
    # answer of a reason, always, and others at random.
    assert "冻结" not in problems[0]["detail"] and "frozen" not in problems[0]["title"].lower()
    assert any("冻结" in p["detail"] for p in problems[1:])


def test_v1_messages_vary_and_its_code_stays(client, bank):
    answers = frozen_refusals(client, bank, "v1", 8)
    assert {a["code"] for a in answers} == {"E1003"}
    assert "冻结" not in answers[0]["message"]


def test_same_seed_same_texts_and_variants_off_shows_the_docs_texts(client, bank):
    first = [p["detail"] for p in frozen_refusals(client, bank, "v2", 4)]
    bank.reset()
    assert [p["detail"] for p in frozen_refusals(client, bank, "v2", 4)] == first
    bank.reset(message_variants=False)
    quiet = frozen_refusals(client, bank, "v2", 2)
    assert {(p["title"], p["detail"]) for p in quiet} == {(FROZEN_DOC_TITLE, FROZEN_DOC_TEXT)}


def test_a_rejection_at_settlement_keeps_the_texts_it_was_given(client, bank):
    account = bank.core.get_customer("ENT000001").account_no
    created = client.post("/v3/credit-lines/CL000001/drawdowns",
                          json=drawdown_body("v3", 500_00, account),
                          headers={"Idempotency-Key": "k1"})
    bank.set_line_status("CL000001", "FROZEN")
    reads = [client.get(created.headers["location"]).json()["rejection"] for _ in range(3)]
    assert {r["reasonCode"] for r in reads} == {"LINE_FROZEN"}
    assert len({(r["title"], r["detail"]) for r in reads}) == 1
    assert "before settlement" not in reads[0]["detail"]  # the human text, not the internal one
