"""Redaction of secrets and personal data in everything Drawbridge writes.

What counts as a secret (headers, field names, credentials in free text) is defined here once;
reports mask identifiers (below), while recordings and bundles replace them by consistent,
valid pseudonyms (:mod:`harness.recording.redact`) so a redacted scenario still runs.

Reports, bundles and recordings pass through here by default. Secrets become ``[redacted]``:
every header value except those on a short list of harmless headers (the list and the
credential-name patterns live in :mod:`fake_core_bank.domain.secrets`, shared with the fake
bank's journal; ``--keep-header``/``--redact-header`` adjust it through
:func:`set_header_policy`), query parameters and JSON fields named like credentials, and
credentials in free text. Personal data is
masked *consistently*: an account number keeps its last four digits and its length
(``6222****...3445``), a credit code keeps its region and last two characters, so a reader can
still tell two accounts apart and follow one through a journal.
"""

from __future__ import annotations

import re
from typing import Any

from fake_core_bank.domain.secrets import (
    CREDENTIAL_NAME,
    HeaderPolicy,
    mask_query,
)
from fake_core_bank.domain.secrets import REDACTED as REDACTED  # re-exported for callers

#: JSON field names whose values are credentials.
SECRET_FIELD = CREDENTIAL_NAME
#: Which header values artefacts keep; the CLI's --keep-header/--redact-header adjust it once
#: per process, before anything is written (set_header_policy).
_policy = HeaderPolicy()
#: Credentials inside free text (URLs, messages, command lines).
TEXT_SECRETS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]{6,}"), r"\1 " + REDACTED),
    (re.compile(r"(?i)((?:access[_-]?|refresh[_-]?|api[_-]?|auth[_-]?)?(?:token|key|secret|"
                r"password|passwd)[\"']?\s*[=:]\s*[\"']?)[^\s\"'&,;}]+"), r"\1" + REDACTED),
    (re.compile(r"(?i)(--(?:token|password|secret|api-key)[= ])\S+"), r"\1" + REDACTED),
    (re.compile(r"(?i)(://)[^/@\s:]+:[^/@\s]+@"), r"\1" + REDACTED + "@"),
)
ACCOUNT = re.compile(r"(?<![0-9])[0-9]{16,19}(?![0-9])")
CREDIT_CODE = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}"
                         r"(?![0-9A-Z])")


def mask_account(number: str) -> str:
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_credit_code(code: str) -> str:
    return code[:8] + "*" * 8 + code[-2:]


def redact_text(text: str) -> str:
    for pattern, replacement in TEXT_SECRETS:
        text = pattern.sub(replacement, text)
    text = CREDIT_CODE.sub(lambda m: mask_credit_code(m.group(0)), text)
    return ACCOUNT.sub(lambda m: mask_account(m.group(0)), text)


def header_policy() -> HeaderPolicy:
    return _policy


def set_header_policy(policy: HeaderPolicy) -> None:
    """Adjust which header values every artefact of this process keeps (``--keep-header``)."""
    global _policy  # one setting per process, set by the CLI before a run
    _policy = policy


def redact_headers(headers: dict[str, str]) -> dict[str, str]:
    """Header values masked unless the header is harmless (and then its text still redacted)."""
    return {k: (REDACTED if _policy.secret(k) else redact_text(v))
            for k, v in headers.items()}


def redact(value: Any) -> Any:
    """A copy of ``value`` (JSON-like data) with secrets removed and personal data masked."""
    if isinstance(value, dict):
        return {k: (REDACTED if isinstance(k, str) and SECRET_FIELD.search(k) and v is not None
                    else redact(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


def redact_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """A journal entry as it may appear in an artefact."""
    out = dict(entry)
    for key in ("request_headers", "response_headers"):
        if isinstance(out.get(key), dict):
            out[key] = redact_headers(out[key])
    if isinstance(out.get("query"), str):
        out["query"] = mask_query(out["query"])
    for key in ("request_body", "response_body", "note", "query"):
        if key in out:
            out[key] = redact(out[key])
    return out
