"""A certificate can carry its profile's mutation score (``drawbridge certify --mutation-report``),
so a reader knows which defect classes the gate it passed can catch (docs/mutation.md).

Opt-in: without a report the certificate is byte-identical to one made before this existed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from fake_core_bank.errors import InputError
from harness.certify.document import document_digest

FORMAT = "drawbridge/mutation@1"


def load_mutation_report(path: Path, profile_id: str, version: str) -> dict[str, Any]:
    """The summary a certificate carries, from a ``drawbridge mutate`` mutation.json."""
    where = str(path)
    try:
        data = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise InputError(where, f"not JSON: {exc}", "pass the mutation.json that "
                         "drawbridge mutate wrote") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(where, f"not a {FORMAT} report", "pass the mutation.json that "
                         "drawbridge mutate wrote")
    profile = data.get("profile") or {}
    if (profile.get("id"), profile.get("version")) != (profile_id, version):
        raise InputError(where, f"measures profile {profile.get('id')} ({profile.get('version')})"
                         f", not {profile_id} ({version})",
                         f"run drawbridge mutate --profile {profile_id} and pass its report")
    try:
        connector, mutants, score = data["connector"], data["mutants"], data["score"]
        return {
            "profile": profile_id,
            "connector": f"{connector['name']}@{connector['version']}",
            "catalogue": data["catalogue"]["digest"],
            "score": {k: score[k] for k in ("killed", "mutants", "value")},
            "applicability": {k: data["applicability"][k]
                              for k in ("applied", "operators", "notApplicable")},
            "survived": [m["operator"] for m in mutants
                         if not m["control"] and m["verdict"] == "survived"],
            "caughtLate": [m["operator"] for m in mutants
                           if not m["control"] and m["verdict"] == "caught late"],
        }
    except (KeyError, TypeError) as exc:
        raise InputError(where, f"an incomplete {FORMAT} report (at {exc})",
                         "pass the mutation.json that drawbridge mutate wrote, unedited") from None


def with_mutation(document: dict[str, Any], summary: dict[str, Any]) -> dict[str, Any]:
    """The certificate with the mutation summary, digest recomputed."""
    out = {**document, "mutation": summary}
    out["digest"] = document_digest(out)
    return out
