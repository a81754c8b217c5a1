"""Chinese error texts, as a real core system writes them: not stable between requests.

With variants on (the default), the wording is picked per request from a seeded generator and a
trace number is appended, so a connector that matches message text instead of reason codes
breaks while one that reads reason codes does not. Same seed, same sequence of texts.
"""

from __future__ import annotations

import random

from fake_core_bank.domain.model import Reason

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


class MessageSource:
    """Picks the text for a refusal; deterministic for a seed."""

    def __init__(self, seed: int, *, variants: bool = True) -> None:
        self._rng = random.Random(f"messages:{seed}")
        self.variants = variants

    def text(self, reason: Reason) -> str:
        choices = TEXTS[reason]
        if not self.variants:
            return choices[0]
        trace = self._rng.randrange(10**11, 10**12)
        return f"{self._rng.choice(choices)}（流水号{trace}）"
