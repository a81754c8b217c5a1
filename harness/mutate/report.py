"""The mutation report: one JSON document (``drawbridge/mutation@1``), rendered as Markdown and
as the console table. Deterministic: no wall-clock figures, no paths, operators in catalogue
order; the same connector, profile, library and seed give the same bytes."""

from __future__ import annotations

from typing import Any

from harness import __version__
from harness.certify.mutation import FORMAT
from harness.mutate.catalogue import digest as catalogue_digest
from harness.mutate.session import CAUGHT_LATE, NOT_APPLICABLE, SURVIVED, Mutant, MutationRun
from harness.reporting.json_report import dumps as dumps  # the JSON format's renderer


def hint(mutant: Mutant) -> str | None:
    """For a survivor, a late catch or an operator that applied nowhere: the scenario the
    library is missing."""
    op = mutant.operator
    if op.control or mutant.verdict not in (SURVIVED, CAUGHT_LATE, NOT_APPLICABLE):
        return None
    sentence = f"no MUST scenario makes the bank {op.hole}"
    if not mutant.applicable:
        return sentence + " (no scenario's traffic gives the operator anything to change)"
    if mutant.kill is not None:
        return sentence + f" (only SHOULD {mutant.kill.scenario} catches it)"
    return sentence


def to_document(run: MutationRun) -> dict[str, Any]:
    mutants = []
    for m in run.mutants:
        kill = m.kill
        mutants.append({
            "operator": m.operator.id, "control": m.operator.control, "verdict": m.verdict,
            "proxyBug": m.proxy_bug, "errors": m.errors, "applicable": m.applicable,
            "killedBy": None if kill is None else {
                "scenario": kill.scenario, "version": kill.version, "level": kill.level,
                "oracle": kill.oracle, "finding": kill.finding},
            "hint": hint(m)})
    return {
        "format": FORMAT,
        "harness": {"name": "drawbridge", "version": __version__},
        "connector": {k: v for k, v in run.identity.to_dict().items() if k != "spec"},
        "profile": {"id": run.profile.id, "version": run.profile.version,
                    "must": list(run.profile.must), "should": list(run.profile.should)},
        "seed": run.seed,
        "catalogue": {"digest": catalogue_digest(),
                      "operators": [m.operator.to_dict() for m in run.mutants]},
        "clean": sorted(r.key for r in run.clean),
        "mutants": mutants,
        "score": {"killed": run.killed, "mutants": len(run.scored),
                  "value": round(run.score, 4)},
        "applicability": {"applied": len(run.scored), "operators": len(run.operators),
                          "notApplicable": [m.operator.id for m in run.not_applicable]},
        "proxyBugs": [m.operator.id for m in run.mutants if m.proxy_bug],
    }


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _killer(m: dict[str, Any]) -> tuple[str, str]:
    k = m["killedBy"]
    if k is None:
        return "", ""
    return f"{k['scenario']}@{k['version']} ({k['level'].upper()}) {k['oracle']}", k["finding"]


def score_line(document: dict[str, Any]) -> str:
    s, a = document["score"], document["applicability"]
    return (f"mutation score {s['value'] * 100:.1f}% ({s['killed']} of {s['mutants']} mutants "
            f"killed by a MUST scenario; {a['applied']} of {a['operators']} operators applied) "
            f"for profile {document['profile']['id']}")


#: the heading of the operators that made no mutant, in every rendering
NOT_APPLICABLE_HEADING = "Not applicable (no mutant: left out of the score)"


def _hinted(document: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The survivors and late catches, and the operators that applied nowhere, with hints."""
    hinted = [m for m in document["mutants"] if m["hint"]]
    return ([m for m in hinted if m["verdict"] != NOT_APPLICABLE],
            [m for m in hinted if m["verdict"] == NOT_APPLICABLE])


def render_markdown(document: dict[str, Any], heading: str = "##") -> str:
    """The report as Markdown (the section docs/mutation.md carries per profile)."""
    connector = document["connector"]
    lines = [f"{heading} Profile {document['profile']['id']} against "
             f"{connector['name']}@{connector['version']}", "",
             f"**{score_line(document)}.** Catalogue `{document['catalogue']['digest']}`, "
             f"seed {document['seed']}, {len(document['clean'])} scenario runs clean.", "",
             "| operator | verdict | killed by | finding |", "|---|---|---|---|"]
    for m in document["mutants"]:
        where, finding = _killer(m)
        verdict = m["verdict"] + (" (control)" if m["control"] else "")
        lines.append(f"| `{m['operator']}` | {verdict} | {_cell(where)} | {_cell(finding)} |")
    survivors, idle = _hinted(document)
    if survivors:
        lines += ["", "Survivors and late catches:", ""]
        lines += [f"- `{m['operator']}` ({m['verdict']}): {m['hint']}." for m in survivors]
    if idle:
        lines += ["", NOT_APPLICABLE_HEADING + ":", ""]
        lines += [f"- `{m['operator']}`: {m['hint']}." for m in idle]
    if document["proxyBugs"]:
        lines += ["", "**Proxy bug** (a killed control, or an operator that raised): "
                  + ", ".join(document["proxyBugs"]) + "."]
    return "\n".join(lines) + "\n"


def render_catalogue(document: dict[str, Any]) -> str:
    """The operator catalogue the report was measured with, as a Markdown table."""
    lines = [f"Catalogue `{document['catalogue']['digest']}`:", "",
             "| operator | what it does to the traffic | defect class | expected killer(s) |",
             "|---|---|---|---|"]
    for op in document["catalogue"]["operators"]:
        killers = ", ".join(f"`{o}`" for o in op["oracles"]) or "none: a control must survive"
        lines.append(f"| `{op['id']}` | {_cell(op['description'])} | {_cell(op['defect'])} | "
                     f"{killers} |")
    return "\n".join(lines) + "\n"


def render_console(document: dict[str, Any]) -> str:
    rows = [("operator", "verdict", "killed by", "finding")]
    for m in document["mutants"]:
        where, finding = _killer(m)
        verdict = m["verdict"] + (" (control)" if m["control"] else "")
        rows.append((m["operator"], verdict, where, finding[:70]))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    out = ["  ".join(c.ljust(w) for c, w in zip(r[:3], widths, strict=True)) + "  " + r[3]
           for r in rows]
    survivors, idle = _hinted(document)
    out += [f"{m['operator']}: {m['hint']}" for m in survivors]
    if idle:
        out.append(NOT_APPLICABLE_HEADING + ":")
        out += [f"  {m['operator']}: {m['hint']}" for m in idle]
    if document["proxyBugs"]:
        out.append("PROXY BUG (a killed control, or an operator that raised): "
                   + ", ".join(document["proxyBugs"]))
        out += [f"  {e}" for m in document["mutants"] for e in m["errors"]]
    out.append(score_line(document))
    return "\n".join(out) + "\n"
