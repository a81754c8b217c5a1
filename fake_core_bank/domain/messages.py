"""The bank's human-readable texts, as a real core writes them: for people, not for programs.

A real core rewords its messages between releases and often between requests, appends a trace
number, answers several states with one vague sentence ("该额度当前不可提款") and localises the
problem ``title``. The fake does the same by default (``variants``): per request a seeded
generator picks the title's language (English or Chinese, RFC 9457 allows a localised title)
and the detail among the reason's own wordings and wordings that name no reason at all, then
appends a trace number. The first answer of each reason after a reset is always one of the vague
wordings under a Chinese title, so a connector that decides by keywords in the text breaks in
every scenario that refuses it anything, not only when the draw is unlucky; one that reads the
stable code (v2+ ``reasonCode``, v1 ``code``) does not. Same seed, same sequence of texts. With variants off every text is the first one listed (the texts a
vendor sees in the docs).
"""

from __future__ import annotations

import random

from fake_core_bank.domain.model import Reason, Wording

#: The reason's own wordings; the first one is the text the docs show.
TEXTS: dict[Reason, tuple[str, ...]] = {
    Reason.INVALID_REQUEST: ("请求参数不合法", "请求报文校验失败", "参数格式错误"),
    Reason.NOT_FOUND: ("记录不存在", "未找到对应记录", "查无此记录"),
    Reason.LINE_FROZEN: ("额度已冻结，暂无法提款", "该授信额度处于冻结状态", "额度冻结中，请联系客户经理"),
    Reason.LINE_LOCKED: ("额度处于特殊业务锁定期", "锁定期内不允许提款", "额度已锁定，请于解锁后再试"),
    Reason.LINE_PENDING_ACTIVATION: ("额度待激活，请先完成激活", "授信额度尚未激活", "请先激活额度后再提款"),
    Reason.LINE_SUSPENDED: ("额度已被风控暂停", "风险管控暂停使用额度", "额度暂停使用"),
    Reason.LINE_EXPIRED: ("额度已到期", "授信额度已过有效期", "额度失效，请重新申请"),
    Reason.PRECONDITION_UNMET: ("提款前置条件未满足", "尚有未落实的放款条件", "请先满足额度附加条件"),
    Reason.POLICY_LIMIT_EXCEEDED: ("超过地区政策单笔提款上限", "单笔金额超出政策限额", "政策收紧，提款金额超限"),
    Reason.POLICY_FIELD_REQUIRED: ("按监管要求须填写资金用途", "缺少政策要求的用途代码", "资金用途不符合政策要求"),
    Reason.INSUFFICIENT_AVAILABLE: ("可用额度不足", "提款金额超过可用额度", "额度余额不足"),
    Reason.IDEMPOTENCY_CONFLICT: ("幂等键重复但请求内容不同", "重复请求内容不一致", "幂等键已被使用"),
    Reason.ACTIVATION_NOT_ALLOWED: ("当前状态不允许激活", "额度状态不支持激活", "无法激活该额度"),
    Reason.MAINTENANCE: ("系统维护中，请稍后再试", "核心系统例行维护", "系统升级维护期间暂停服务"),
    Reason.READ_ONLY: ("系统维护期间仅支持查询", "维护窗口内暂停交易类业务", "只读维护中，暂不受理提款"),
    Reason.VERSION_RETIRED: ("接口版本已下线", "该版本接口已停止服务", "请升级至新版本接口"),
    Reason.VERSION_UNAVAILABLE: ("接口版本升级中，请稍后再试", "节点升级中", "服务升级中，请重试"),
    Reason.INTERNAL: ("系统内部错误", "系统繁忙", "处理失败，请稍后再试"),
}

#: Wordings a real core gives for many reasons alike: they name none, so no keyword finds one.
VAGUE: tuple[str, ...] = ("交易失败，请联系开户行", "业务处理未成功", "该额度当前不可提款",
                          "交易被拒绝，详情请咨询客户经理")

#: Problem titles (v2+) per language; the English one is what the docs show.
TITLES: dict[str, dict[Reason, str]] = {
    "en": {
        Reason.INVALID_REQUEST: "Invalid request", Reason.NOT_FOUND: "Not found",
        Reason.LINE_FROZEN: "Credit line frozen", Reason.LINE_LOCKED: "Credit line locked",
        Reason.LINE_PENDING_ACTIVATION: "Credit line pending activation",
        Reason.LINE_SUSPENDED: "Credit line suspended",
        Reason.LINE_EXPIRED: "Credit line expired",
        Reason.PRECONDITION_UNMET: "Precondition unmet",
        Reason.POLICY_LIMIT_EXCEEDED: "Policy limit exceeded",
        Reason.POLICY_FIELD_REQUIRED: "Field required by policy",
        Reason.INSUFFICIENT_AVAILABLE: "Insufficient available amount",
        Reason.IDEMPOTENCY_CONFLICT: "Idempotency key reused with another request",
        Reason.ACTIVATION_NOT_ALLOWED: "Activation not allowed",
        Reason.MAINTENANCE: "Core system under maintenance",
        Reason.READ_ONLY: "Core system read-only during maintenance",
        Reason.VERSION_RETIRED: "API version retired",
        Reason.VERSION_UNAVAILABLE: "API version not yet available on this node",
        Reason.INTERNAL: "Internal error",
    },
    "zh": {
        Reason.INVALID_REQUEST: "请求不合法", Reason.NOT_FOUND: "记录不存在",
        Reason.LINE_FROZEN: "业务受理失败", Reason.LINE_LOCKED: "业务受理失败",
        Reason.LINE_PENDING_ACTIVATION: "业务受理失败", Reason.LINE_SUSPENDED: "业务受理失败",
        Reason.LINE_EXPIRED: "业务受理失败", Reason.PRECONDITION_UNMET: "业务受理失败",
        Reason.POLICY_LIMIT_EXCEEDED: "业务受理失败", Reason.POLICY_FIELD_REQUIRED: "业务受理失败",
        Reason.INSUFFICIENT_AVAILABLE: "业务受理失败", Reason.IDEMPOTENCY_CONFLICT: "重复请求",
        Reason.ACTIVATION_NOT_ALLOWED: "业务受理失败", Reason.MAINTENANCE: "系统维护",
        Reason.READ_ONLY: "系统维护", Reason.VERSION_RETIRED: "接口已下线",
        Reason.VERSION_UNAVAILABLE: "系统维护", Reason.INTERNAL: "系统错误",
    },
}


class MessageSource:
    """Picks the texts of each refusal; deterministic for a seed."""

    def __init__(self, seed: int, *, variants: bool = True) -> None:
        self._rng = random.Random(f"messages:{seed}")
        self.variants = variants
        self._said: set[Reason] = set()

    def wording(self, reason: Reason) -> Wording:
        choices = TEXTS[reason]
        if not self.variants:
            return Wording(choices[0])
        if reason in self._said:
            lang = self._rng.choice(("en", "zh"))
            text = self._rng.choice(choices + VAGUE)
        else:  # the first time: nothing in it that a keyword tuned to the docs could find
            self._said.add(reason)
            lang, text = "zh", self._rng.choice(VAGUE)
        trace = self._rng.randrange(10**11, 10**12)
        return Wording(f"{text}（流水号{trace}）", lang)

    def text(self, reason: Reason) -> str:
        return self.wording(reason).detail


def is_docs_text(reason: Reason, detail: str) -> bool:
    """Whether ``detail`` is the reason's text as the docs show it (what the fake says with
    variants off); any other text is one a keyword rule tuned to the sandbox may misread."""
    return detail == TEXTS[reason][0]


def title(wording: Wording, reason: Reason) -> str:
    """The problem title (v2+) of ``reason`` in the wording's language."""
    return TITLES[wording.lang][reason]
