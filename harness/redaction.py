"""Redaction of secrets and personal data in everything Drawbridge writes.

What counts as a secret (headers, field names, credentials in free text) is defined here once;
reports mask identifiers (below), while recordings and bundles replace them by consistent,
valid pseudonyms (:mod:`harness.recording.redact`) so a redacted scenario still runs.

Reports, bundles and recordings pass through here by default. Secrets (authorization headers,
cookies, API keys, fields named like tokens or passwords) become ``[redacted]``. Personal data is
masked *consistently*: an account number keeps its last four digits and its length
(``6222****...3445``), a credit code keeps its region and last two characters, so a reader can
still tell two accounts apart and follow one through a journal.
"""

from __future__ import annotations

import re
from typing import Any

REDACTED = "[redacted]"
#: Headers that carry credentials, whatever the API.
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie",
                            "x-api-key", "x-auth-token", "x-csrf-token"})
#: JSON field names (and header names) whose values are credentials.
SECRET_FIELD = re.compile(r"(?i)(token|secret|password|passwd|api[-_]?key|credential|"
                          r"session[-_]?id|^auth$|signature)")
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


def redact_headers(headers: dict[str, str]) -> dict[str, str]:
    return {k: (REDACTED if k.lower() in SECRET_HEADERS or SECRET_FIELD.search(k)
                else redact_text(v)) for k, v in headers.items()}


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
    for key in ("request_body", "response_body", "note", "query"):
        if key in out:
            out[key] = redact(out[key])
    return out
