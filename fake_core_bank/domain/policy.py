"""Regional policies: parameters that change on a date and refuse what was fine yesterday."""

from __future__ import annotations

from datetime import datetime

from fake_core_bank.domain.model import Policy, Reason, Refusal


class PolicyBook:
    def __init__(self) -> None:
        self.policies: dict[str, Policy] = {}

    def put(self, policy: Policy) -> None:
        self.policies[policy.policy_id] = policy

    def remove(self, policy_id: str) -> bool:
        return self.policies.pop(policy_id, None) is not None

    def in_force(self, region: str, when: datetime) -> list[Policy]:
        return sorted(
            (
                p
                for p in self.policies.values()
                if p.effective <= when and p.region in ("*", region)
            ),
            key=lambda p: (p.effective, p.policy_id),
        )

    def check_drawdown(
        self, region: str, when: datetime, amount: int, purpose_code: str | None
    ) -> None:
        """Raise the first :class:`Refusal` a policy in force gives, in effective-date order."""
        for policy in self.in_force(region, when):
            if policy.require_purpose_code and not purpose_code:
                raise Refusal(
                    Reason.POLICY_FIELD_REQUIRED,
                    f"policy {policy.policy_id} requires a purposeCode from "
                    f"{policy.effective.isoformat()}",
                    field="purposeCode",
                )
            if (
                policy.allowed_purposes is not None
                and purpose_code is not None
                and purpose_code not in policy.allowed_purposes
            ):
                raise Refusal(
                    Reason.POLICY_FIELD_REQUIRED,
                    f"policy {policy.policy_id} allows purposes "
                    f"{', '.join(policy.allowed_purposes)}, not {purpose_code}",
                    field="purposeCode",
                )
            if policy.max_drawdown is not None and amount > policy.max_drawdown:
                raise Refusal(
                    Reason.POLICY_LIMIT_EXCEEDED,
                    f"policy {policy.policy_id} caps one drawdown at {policy.max_drawdown} "
                    "minor units",
                    field="amount",
                )

    def boundaries(self) -> list[datetime]:
        return [p.effective for p in self.policies.values()]
