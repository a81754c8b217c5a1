"""Both documents are validated before the diff: warnings with their place, --strict exit 2.

Issue 20 point 6. Each check is shown to fire on a minimal defect, and to stay silent on the
published specs and on the project's own contracts.
"""

from __future__ import annotations

import pytest
from diff_helpers import BASE, DATA
from diff_helpers import run_cli as run
from test_diff_locations_grouping import OLD

from harness.contracts import load_contract
from harness.contracts.validate import validate

CLEAN = [*sorted((DATA / "real-specs").rglob("*.yaml")),
         *sorted((DATA.parents[1] / "contracts" / "core-banking").glob("*.yaml"))]


def _problems(tmp_path, text):
    path = tmp_path / "spec.yaml"
    path.write_text(text)
    return path, [str(p) for p in validate(load_contract(path, structure="keep"))]


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda t: t.replace('info: {title: t, version: "1"}', "info: {title: t}"),
     ':2:7 info.version: missing; fix: add info.version'),
    (lambda t: t.replace("enum: [OPEN, FROZEN]", "enum: [OPEN, FROZEN, OPEN]"),
     ":31:17 components.schemas.Line.properties.status.enum: enum lists 'OPEN' more than "
     "once; fix: remove the repeated value(s)"),
    (lambda t: t.replace("      type: object\n", "      type: obj\n"),
     ":25:7 components.schemas.Line.type: unknown type 'obj'; fix: use one of"),
    (lambda t: t.replace("  /c:\n    post:\n", "  /c:\n    post:\n      operationId: x\n")
     .replace("components:\n", "  /d:\n    get:\n      operationId: x\n      responses: "
              "{'200': {description: ok}}\ncomponents:\n"),
     "paths./d.get.operationId: operationId 'x' is also used by paths./c.post; fix: give "
     "each operation its own operationId"),
    (lambda t: t.replace("  /c:\n", "  /c/{id}:\n"),
     "paths./c/{id}.post: path parameter {id} is not declared; fix: add a parameter"),
    (lambda t: t.replace('      responses:\n        "204": {description: done}\n', ""),
     "paths./c.post.responses: no responses; fix: document at least the success response"),
    (lambda t: t.replace("      type: object\n",
                         "      type: object\n      additionalProperties: false\n"
                         "      required: [id, name]\n"),
     "components.schemas.Line.required: required property 'name' is not declared and the "
     "object refuses undeclared properties"),
])
def test_each_check_fires_at_its_place(tmp_path, edit, expected):
    path, problems = _problems(tmp_path, OLD)
    assert problems == []
    path, problems = _problems(tmp_path, edit(OLD))
    assert len(problems) == 1, problems
    assert expected in problems[0]
    assert problems[0].startswith(str(path))


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.name)
def test_published_specs_and_our_contracts_have_no_problems(path):
    assert validate(load_contract(path)) == []


def test_problems_are_warnings_by_default_and_bad_input_with_strict(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BASE.read_text().replace('info: {title: diff fixture, version: "1.0"}',
                                            "info: {title: diff fixture}")
                   .replace("enum: [PENDING, DISBURSED]", "enum: [PENDING, DISBURSED, PENDING]"))
    code, out, err = run(capsys, BASE, bad)
    assert code == 0 and out.endswith(": no changes\n")  # the diff still ran
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"drawbridge: warning: {bad}:4:7 info.version: missing")
    assert "enum lists 'PENDING' more than once" in lines[1]

    code, out, err = run(capsys, BASE, bad, "--strict")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"drawbridge: {bad}:4:7 info.version: missing (and 1 more: run "
                          "without --strict to list them); --strict refuses invalid documents")
