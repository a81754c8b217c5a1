"""The rule catalogue: every rule id, what it detects, whom it breaks, how surely, and why.

Schema rules exist twice, ``request-...`` and ``response-...``, because the same edit means
opposite things on the two sides: a request schema that accepts less breaks old clients (they
send what is now refused), a response schema that promises less breaks old clients (they read
what is no longer guaranteed). An edit *tightens* (accepts/promises a subset), *loosens* (a
superset) or does *both* (incompatible). Who it breaks follows from the side and the effect:

=========  ==========  ===========
effect     request     response
=========  ==========  ===========
tighten    clients     providers
loosen     providers   clients
both       both        both
=========  ==========  ===========

"providers" means a server built against the old contract no longer satisfies the new one: new
clients, a rollback or a mixed fleet meet it. Opt-in additions (a new optional field or
operation) break nobody: no existing exchange changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.contracts.model import Audience, Severity

B, P, S = Severity.BREAKING, Severity.POTENTIAL, Severity.SAFE
C, PR, BOTH, NOBODY = Audience.CLIENTS, Audience.PROVIDERS, Audience.BOTH, Audience.NOBODY


@dataclass(frozen=True)
class Rule:
    """One row of the catalogue (and of the table in docs/contract-diff.md)."""

    id: str
    what: str
    audience: Audience
    severity: Severity
    why: str


_SIDE_PARTY = {
    ("request", "tighten"): C, ("request", "loosen"): PR,
    ("response", "tighten"): PR, ("response", "loosen"): C,
    ("request", "both"): BOTH, ("response", "both"): BOTH,
}

# base id -> (what, effect, request severity, response severity, request why, response why)
_SCHEMA_RULES: dict[str, tuple[str, str, Severity, Severity, str, str]] = {
    "property-removed": (
        "a property disappeared from an object", "tighten-request/loosen-response", P, B,
        "old clients still send it; a closed object now refuses it, an open one ignores it",
        "old clients read a field that is no longer sent"),
    "property-added": (
        "an optional property appeared", "opt-in", S, S,
        "opt-in: old clients do not send it", "tolerant readers ignore unknown fields"),
    "required-property-added": (
        "a new property appeared and is required", "tighten", B, B,
        "old clients do not send it and are refused",
        "old providers do not send it, new clients rely on it"),
    "property-became-required": (
        "an existing property became required", "tighten", B, P,
        "old clients that omit it are refused",
        "old providers may omit it; new clients rely on it"),
    "property-became-optional": (
        "a required property became optional", "loosen", P, B,
        "new clients may omit it; old providers require it",
        "old clients rely on a field that may now be missing"),
    "property-renamed": (
        "a property was removed and one with the same schema added in the same object", "both",
        B, B, "the old name is refused or ignored, old providers need the old name",
        "old clients read the old name; old providers send the old name"),
    "type-changed": (
        "the type changed incompatibly (e.g. string -> integer)", "both", B, B,
        "values valid before are refused, and the other way round",
        "values valid before are refused, and the other way round"),
    "type-narrowed": (
        "the type accepts less (e.g. null or number dropped)", "tighten", B, P,
        "old clients may send a value of the dropped type",
        "old providers may still send the dropped type"),
    "type-widened": (
        "the type accepts more (e.g. became nullable)", "loosen", P, B,
        "old providers refuse the new type",
        "old clients meet a type they cannot parse (e.g. null)"),
    "format-changed": (
        "the format changed (e.g. date -> date-time)", "both", B, B,
        "values in the old format are refused", "old clients parse the old format"),
    "format-added": (
        "a format was added", "tighten", P, P,
        "old clients may send values outside the format",
        "old providers may send values outside the format"),
    "format-removed": (
        "a format was removed", "loosen", P, P,
        "old providers may refuse unformatted values",
        "old clients may parse values as the old format"),
    "enum-value-removed": (
        "an enum value was removed", "tighten-request/loosen-response", B, B,
        "old clients sending it are refused",
        "old clients waiting for that value never get it"),
    "enum-value-renamed": (
        "an enum value was removed and another added at the same place (paired in order)",
        "both", B, B,
        "old clients send the old value and are refused; old providers do not know the new one",
        "old clients wait for the old value and meet one they do not know"),
    "enum-value-added": (
        "an enum value was added", "loosen", P, P,
        "old providers do not know the value new clients send",
        "old clients meet a value they do not know"),
    "extensible-enum-value-added": (
        "a value was added to an enum declared extensible (x-extensible-enum or "
        "x-extensible: true)", "loosen", P, S,
        "old providers do not know the value new clients send",
        "the contract told clients to expect new values"),
    "constraint-tightened": (
        "a validation keyword accepts less (maxLength, minLength, pattern added, minimum, "
        "maximum, exclusive*, maxItems, minItems, multipleOf, uniqueItems, maxProperties, "
        "minProperties, enum added)", "tighten", B, P,
        "values old clients send may now be refused",
        "old providers may send values outside the new bound"),
    "constraint-loosened": (
        "a validation keyword accepts more", "loosen", P, P,
        "old providers may refuse values new clients send",
        "old clients may meet values outside the bound they assumed"),
    "constraint-changed": (
        "a validation keyword changed in no comparable direction (pattern, multipleOf)", "both",
        P, P, "some values valid before are refused, and the other way round",
        "some values valid before are refused, and the other way round"),
    "additional-properties-disallowed": (
        "an object no longer allows undeclared properties", "tighten", P, P,
        "old clients sending extra fields are refused",
        "old providers may send extra fields"),
    "additional-properties-allowed": (
        "an object now allows undeclared properties", "loosen", P, S,
        "old strict providers refuse extra fields", "tolerant readers ignore extra fields"),
    "variant-removed": (
        "a oneOf/anyOf alternative was removed", "tighten", B, P,
        "old clients sending that shape are refused", "old providers may send that shape"),
    "variant-added": (
        "a oneOf/anyOf alternative was added", "loosen", P, P,
        "old providers do not accept the new shape", "old clients meet a shape they do not know"),
}

# id -> (what, audience, severity, why)
_OTHER_RULES: dict[str, tuple[str, Audience, Severity, str]] = {
    "path-removed": ("a path and all its operations were removed", C, B,
                     "old clients call it and get 404"),
    "path-added": ("a path was added", NOBODY, S, "opt-in"),
    "operation-removed": ("an operation (method) was removed from a kept path", C, B,
                          "old clients call it and get 405/404"),
    "operation-added": ("an operation was added to a kept path", NOBODY, S, "opt-in"),
    "operation-id-changed": ("the operationId changed", C, P,
                             "generated client code names methods after it"),
    "parameter-removed": ("a parameter was removed", C, P,
                          "old clients still send it; the server ignores or refuses it"),
    "parameter-added": ("an optional parameter was added", NOBODY, S, "opt-in"),
    "required-parameter-added": ("a required query, path or cookie parameter was added", C, B,
                                 "old clients do not send it"),
    "required-header-added": ("a required request header was added", C, B,
                              "old clients do not send it (e.g. Idempotency-Key)"),
    "parameter-became-required": ("an optional parameter became required", C, B,
                                  "old clients that omit it are refused"),
    "parameter-became-optional": ("a required parameter became optional", PR, P,
                                  "old providers refuse requests without it"),
    "request-body-added": ("an optional request body was added", NOBODY, S, "opt-in"),
    "required-request-body-added": ("a required request body was added", C, B,
                                    "old clients send no body"),
    "request-body-removed": ("the request body was removed", C, P,
                             "old clients still send one"),
    "request-body-became-required": ("the request body became required", C, B,
                                     "old clients that send none are refused"),
    "request-body-became-optional": ("the request body became optional", PR, P,
                                     "old providers require it"),
    "request-media-type-removed": ("a request media type is no longer accepted", C, B,
                                   "old clients send it and get 415"),
    "request-media-type-added": ("a request media type was added", NOBODY, S, "opt-in"),
    "response-media-type-removed": ("a response media type is no longer produced", C, B,
                                    "old clients parse the old media type"),
    # a request-side schema rule with no response twin (there it is property-removed)
    "request-closed-property-removed": (
        "a property disappeared from a request object that refuses undeclared properties "
        "(additionalProperties: false)", C, B,
        "old clients still send it and the closed object now refuses it"),
    "media-type-parameters-changed": (
        "the parameters of a media type changed (e.g. charset); the payload is still compared",
        BOTH, P, "a peer matching the whole Content-Type string may refuse or misread it"),
    "response-media-type-added": ("a response media type was added", C, P,
                                  "old clients may get a media type they cannot parse"),
    "success-status-added": ("a 2xx/3xx status code was added (e.g. 201 -> 202)", C, B,
                             "old clients treat the new success code as a failure"),
    "error-status-added": ("a 4xx/5xx or default response was added", C, P,
                           "old clients fall back to generic error handling"),
    "response-status-removed": ("a status code is no longer documented", PR, P,
                                "old providers still answer it; new clients may not handle it"),
    "response-header-removed": ("a response header was removed", C, P,
                                "old clients may read it"),
    "response-header-added": ("a response header was added", NOBODY, S, "clients ignore it"),
    "base-path-changed": ("the path of servers[0].url changed (e.g. /v1 -> /v2)", C, B,
                          "old clients call the old base path"),
    "server-removed": ("a server host was removed", C, P, "old clients configured with it"),
    "server-added": ("a server host was added", NOBODY, S, "opt-in"),
    "servers-removed": ("the servers block was removed", C, P,
                        "the base URL is no longer stated; clients must learn it elsewhere"),
    "servers-added": ("a servers block was added", C, P,
                      "the base URL was implicit before; it may differ from what clients use"),
    "security-scheme-removed": ("a security scheme was removed from components", C, P,
                                "old clients configured for it"),
    "security-scheme-added": ("a security scheme was added to components", NOBODY, S, "opt-in"),
    "security-scheme-changed": ("a security scheme changed type, location, name or flow", BOTH,
                                B, "credentials are sent or checked differently"),
    "security-requirement-removed": (
        "an accepted security alternative of an operation was removed (or auth added)", C, B,
        "old clients authenticating that way are refused"),
    "security-requirement-added": ("an operation accepts a new security alternative", PR, P,
                                   "old providers refuse the new credentials"),
    "schema-removed": ("a schema was removed from components", C, P,
                       "generated client code refers to it by name"),
    "schema-added": ("a schema was added to components", NOBODY, S, "opt-in"),
}


def _schema_rule(side: str, base: str) -> Rule:
    what, effect, req_sev, resp_sev, req_why, resp_why = _SCHEMA_RULES[base]
    if effect == "opt-in":
        return Rule(f"{side}-{base}", what, NOBODY, S, req_why if side == "request" else resp_why)
    if "/" in effect:  # the edit reads differently on each side
        effect = dict(part.split("-", 1)[::-1] for part in effect.split("/"))[side]
    severity = req_sev if side == "request" else resp_sev
    audience = _SIDE_PARTY[(side, effect)] if severity is not S else NOBODY
    return Rule(f"{side}-{base}", what, audience, severity,
                req_why if side == "request" else resp_why)


def _build() -> dict[str, Rule]:
    rules = {rid: Rule(rid, what, aud, sev, why)
             for rid, (what, aud, sev, why) in _OTHER_RULES.items()}
    for base in _SCHEMA_RULES:
        for side in ("request", "response"):
            rule = _schema_rule(side, base)
            rules[rule.id] = rule
    return dict(sorted(rules.items()))


#: every rule, by id
RULES: dict[str, Rule] = _build()
