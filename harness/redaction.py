"""Redaction of secrets and personal data in everything Drawbridge writes.

Reports, bundles and recordings pass through here by default. Secrets (authorization headers,
cookies, API keys, fields named like tokens or passwords) become ``[redacted]``. Personal data is
masked *consistently*: an account number keeps its last four digits and its length
(``6222****...3445``), a credit code keeps its region and last two characters, so a reader can
still tell two accounts apart and follow one through a journal.
"""

from __future__ import annotations

import re
from typing import Any

SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie",
                            "x-api-key", "x-auth-token"})
SECRET_KEY = re.compile(r"(?i)(token|secret|password|passwd|api[-_]?key|authorization|cookie)")
ACCOUNT = re.compile(r"(?<![0-9])[0-9]{16,19}(?![0-9])")
CREDIT_CODE = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}"
                         r"(?![0-9A-Z])")
BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}")
REDACTED = "[redacted]"


def mask_account(number: str) -> str:
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_credit_code(code: str) -> str:
    return code[:8] + "*" * 8 + code[-2:]


def redact_text(text: str) -> str:
    text = BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    text = CREDIT_CODE.sub(lambda m: mask_credit_code(m.group(0)), text)
    return ACCOUNT.sub(lambda m: mask_account(m.group(0)), text)


def redact_headers(headers: dict[str, str]) -> dict[str, str]:
    return {k: (REDACTED if k.lower() in SECRET_HEADERS or SECRET_KEY.search(k)
                else redact_text(v)) for k, v in headers.items()}


def redact(value: Any) -> Any:
    """A copy of ``value`` (JSON-like data) with secrets removed and personal data masked."""
    if isinstance(value, dict):
        return {k: (REDACTED if isinstance(k, str) and SECRET_KEY.search(k) and v is not None
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
    for key in ("request_body", "response_body", "note", "query"):
        if key in out:
            out[key] = redact(out[key])
    return out
