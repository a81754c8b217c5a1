"""Redaction of secrets and identifiers in recordings and reproduction bundles.

Secrets (credentials in headers, token-like JSON fields, ``Bearer ...`` and ``token=...`` in free
text) become ``[redacted]``. Identifiers that tie evidence together -- account numbers (16-19
digits) and unified social credit codes (GB 32100-2015) -- are replaced by *pseudonyms*,
consistently within one :class:`Redactor`: the same account always maps to the same fake
account, so "the drawdown went to the customer's account" still shows. Pseudonyms stay valid
values (an account keeps its length and last 4 digits; a credit code keeps a correct check
character), so a redacted scenario still loads and runs.

>>> r = Redactor()
>>> r.value({"accountNo": "6222020200112233445", "authorization": "Bearer abc"})
{'accountNo': '0000000000000013445', 'authorization': '[redacted]'}
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from fake_core_bank.domain import creditcode
from fake_core_bank.domain.secrets import HeaderPolicy, mask_query
from fake_core_bank.errors import InputError
from harness.redaction import REDACTED, SECRET_FIELD, TEXT_SECRETS, header_policy

#: One pass finds both identifier shapes; the callback tells them apart.
IDENTIFIER = re.compile(r"(?<![0-9A-Za-z])(?:[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}"
                        r"|[0-9]{16,19})(?![0-9A-Za-z])")
#: Pseudonyms start with these, so redacting redacted text changes nothing.
ACCOUNT_MARK = "0000"
CODE_MARK = "91000000"


@dataclass(frozen=True)
class RedactionRules:
    """What to redact. Extend with :meth:`load` (a YAML file) or :meth:`with_rule`."""

    #: names whose values are masked wherever they appear (headers and JSON fields)
    headers: frozenset[str] = frozenset()
    #: which header values are kept (all others masked); the process's --keep-header setting
    header_policy: HeaderPolicy = field(default_factory=header_policy)
    fields: tuple[re.Pattern[str], ...] = (SECRET_FIELD,)
    patterns: tuple[re.Pattern[str], ...] = ()
    accounts: bool = True
    credit_codes: bool = True

    def with_rule(self, spec: str, where: str = "--redact-rule") -> RedactionRules:
        """One more rule: ``header:NAME``, ``field:REGEX``, ``pattern:REGEX`` or a YAML file."""
        if spec.endswith((".yaml", ".yml")):
            return self.load(Path(spec))
        kind, sep, value = spec.partition(":")
        if not sep or not value:
            raise InputError(where, f"{spec!r} is not KIND:VALUE",
                             "write header:x-session, field:REGEX, pattern:REGEX or a .yaml file")
        if kind == "header":
            return replace(self, headers=self.headers | {value.lower()},
                           header_policy=self.header_policy.adjusted(redact=[value]))
        if kind in ("field", "pattern"):
            regex = _compile(value, where)
            if kind == "field":
                return replace(self, fields=(*self.fields, regex))
            return replace(self, patterns=(*self.patterns, regex))
        raise InputError.for_unknown_name(where, "rule kind", kind, ("header", "field", "pattern"))

    def load(self, path: Path) -> RedactionRules:
        """Rules from YAML: ``headers: [..]``, ``fields: [regex..]``, ``patterns: [regex..]``,
        ``accounts: bool``, ``creditCodes: bool`` -- added to these rules."""
        # the scenario loader's reader: its caps on size, nesting and aliases, one-line errors
        from harness.scenarios.yamlpos import load_yaml

        data = load_yaml(path).data or {}
        known = ("headers", "fields", "patterns", "accounts", "creditCodes")
        if not isinstance(data, dict):
            raise InputError(str(path), "expected a mapping", f"write keys among {known}")
        for key in data:
            if key not in known:
                raise InputError.for_unknown_name(str(path), "key", str(key), known)
        rules = self
        for key, kind in (("headers", "header"), ("fields", "field"), ("patterns", "pattern")):
            items = data.get(key) or []
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise InputError(f"{path} {key}", "expected a list of strings",
                                 f"write {key}: [...]")
            for item in items:
                rules = rules.with_rule(f"{kind}:{item}", f"{path} {key}")
        for key, attr in (("accounts", "accounts"), ("creditCodes", "credit_codes")):
            if key in data:
                if not isinstance(data[key], bool):
                    raise InputError(f"{path} {key}", "expected true or false",
                                     f"write {key}: false")
                rules = replace(rules, **{attr: data[key]})
        return rules


def _compile(value: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(value)
    except re.error as exc:
        raise InputError(where, f"{value!r} is not a regular expression: {exc}",
                         "escape special characters, e.g. \\. for a dot") from None


class Redactor:
    """Redacts values; one instance keeps its pseudonyms consistent across everything it sees.

    ``keep_masked`` (default) leaves values that are already pseudonyms alone, so redacting twice
    is redacting once. With ``keep_masked=False`` every identifier is renamed in order of first
    appearance: two documents that differ only by a consistent renaming come out equal (how a
    replay is compared with its bundle).
    """

    def __init__(self, rules: RedactionRules | None = None, *, keep_masked: bool = True) -> None:
        self.rules = rules or RedactionRules()
        self.keep_masked = keep_masked
        self.accounts: dict[str, str] = {}
        self.codes: dict[str, str] = {}

    # -- identifiers ------------------------------------------------------------------------------
    def account(self, number: str) -> str:
        if self.keep_masked and number.startswith(ACCOUNT_MARK):
            return number
        if number not in self.accounts:
            counter = str(len(self.accounts) + 1).zfill(len(number) - 8)
            self.accounts[number] = ACCOUNT_MARK + counter + number[-4:]
        return self.accounts[number]

    def credit_code(self, code: str) -> str:
        if self.keep_masked and code.startswith(CODE_MARK):
            return code
        if code not in self.codes:
            first17 = CODE_MARK + str(len(self.codes) + 1).zfill(9)
            self.codes[code] = first17 + creditcode.check_character(first17)
        return self.codes[code]

    def _identifier(self, match: re.Match[str]) -> str:
        found = match.group(0)
        if self.rules.credit_codes and len(found) == 18 and creditcode.is_valid(found):
            return self.credit_code(found)
        if self.rules.accounts and found.isdigit() and 16 <= len(found) <= 19:
            return self.account(found)
        return found

    # -- values -----------------------------------------------------------------------------------
    def text(self, text: str) -> str:
        """Free text with credentials removed and identifiers pseudonymised."""
        for pattern, replacement in TEXT_SECRETS:
            text = pattern.sub(replacement, text)
        for pattern in self.rules.patterns:
            text = pattern.sub(REDACTED, text)
        if self.rules.accounts or self.rules.credit_codes:
            text = IDENTIFIER.sub(self._identifier, text)
        return text

    def secret_key(self, key: str) -> bool:
        """Whether a JSON field or header named ``key`` holds a credential."""
        return key.lower() in self.rules.headers or any(p.search(key) for p in self.rules.fields)

    def value(self, value: Any, key: str | None = None) -> Any:
        """Any JSON-like value, recursively; dict keys name what their values are."""
        if key is not None and isinstance(value, str | int | float | list) \
                and value not in ("", []) and self.secret_key(key):
            return REDACTED
        if isinstance(value, dict):
            return {k: self.value(v, str(k)) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.value(v) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    def headers(self, headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        """Header pairs with every value masked unless the header is harmless (names kept, so
        evidence shows them)."""
        policy = self.rules.header_policy
        return [(k, REDACTED if policy.secret(k) or self.secret_key(k) else self.text(v))
                for k, v in headers]

    def query(self, query: str) -> str:
        """A URL query with credential-named parameters masked and identifiers pseudonymised."""
        return self.text(mask_query(query))
