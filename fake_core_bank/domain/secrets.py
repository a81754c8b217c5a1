"""What counts as a secret on the wire: the one definition the fake bank and the harness share.

Inverted on purpose (issue 15 item 15): a header's value is kept only when its name is on a
short list of harmless headers; every other header is masked, so a credential under a name
nobody listed (``Ocp-Apim-Subscription-Key``, ``X-Auth-Token``) is never kept. Query
parameters whose names look like credentials (``access_token``, ``sig``, ``apikey``) are
masked too.

>>> policy = HeaderPolicy()
>>> policy.mask({"content-type": "application/json", "ocp-apim-subscription-key": "k1"})
{'content-type': 'application/json', 'ocp-apim-subscription-key': '[redacted]'}
>>> mask_query("lineId=CL1&access_token=abc")
'lineId=CL1&access_token=[redacted]'

``--keep-header NAME`` adds a name to the harmless list, ``--redact-header NAME`` removes one
(:meth:`HeaderPolicy.adjusted`). This module is in the domain layer (stdlib only) so the fake
bank's journal and the harness's artefacts read the same lists; ``harness.redaction`` builds on
it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

REDACTED = "[redacted]"

#: Headers whose values are never credentials and help a reader of the evidence. Everything
#: else is masked. Keep it short: a header added here is kept verbatim in every artefact.
HARMLESS_HEADERS = frozenset({
    "accept", "accept-encoding", "accept-language", "allow", "cache-control", "connection",
    "content-encoding", "content-length", "content-type", "date", "deprecation", "etag",
    "host", "idempotency-key", "if-match", "if-none-match", "link", "location", "retry-after",
    "sunset", "traceparent", "transfer-encoding", "user-agent", "vary", "x-request-id",
    "x-correlation-id",
})

#: Names (JSON fields, query parameters, header names) whose values are credentials.
CREDENTIAL_NAME = re.compile(r"(?i)(token|secret|password|passwd|api[-_]?key|credential|"
                             r"session[-_]?id|^auth$|signature)")
#: Query parameters that carry credentials under short names as well (``?key=``, ``?sig=``).
CREDENTIAL_PARAM = re.compile(CREDENTIAL_NAME.pattern[:-1] + r"|^(key|sig|code|auth\w*|"
                              r"x-amz-\w+|apikey|pwd|pass)$)")


@dataclass(frozen=True)
class HeaderPolicy:
    """Which header values are kept: those on ``keep`` (the harmless list by default)."""

    keep: frozenset[str] = field(default=HARMLESS_HEADERS)

    def adjusted(self, keep: Iterable[str] = (), redact: Iterable[str] = ()) -> HeaderPolicy:
        """This policy with ``keep`` names added and ``redact`` names taken away."""
        kept = (self.keep | {k.lower() for k in keep}) - {r.lower() for r in redact}
        return HeaderPolicy(frozenset(kept))

    def secret(self, name: str) -> bool:
        """Whether the value of the header ``name`` is masked."""
        return name.lower() not in self.keep

    def mask(self, headers: Mapping[str, str]) -> dict[str, str]:
        """``headers`` with every value not on the harmless list replaced by ``[redacted]``."""
        # secret(), without a call per header, in a loop, not a comprehension (a function
        # object and a frame each time in Python 3.11): every request's headers are masked
        keep = self.keep
        masked: dict[str, str] = {}
        for k, v in headers.items():
            masked[k] = v if k.lower() in keep else REDACTED
        return masked


def mask_query(query: str) -> str:
    """A URL query string with the values of credential-named parameters masked; the rest of
    the text (order, encoding, blank values) as it was."""
    if not query:
        return query
    parts = []
    for part in query.split("&"):
        name, sep, _value = part.partition("=")
        parts.append(f"{name}={REDACTED}" if sep and CREDENTIAL_PARAM.search(name) else part)
    return "&".join(parts)
