"""`drawbridge diff` as CI calls it: formats, --output, --fail-on, exit codes, one-line errors."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from diff_helpers import BASE, DATA, load, run_cli, write

FIX = DATA / "diff"


def run(capsys, *args):
    return run_cli(capsys, *args)


@pytest.fixture
def breaking_pair(tmp_path):
    new = load()
    new["components"]["schemas"]["Drawdown"]["required"].append("purposeCode")
    new["paths"]["/credit-lines/{lineId}/drawdowns"]["post"]["parameters"].append(
        {"name": "channel", "in": "query", "schema": {"type": "string"}})
    return BASE, write(tmp_path / "new.json", new)


def test_same_document_exits_0(capsys):
    code, out, _ = run(capsys, BASE, BASE)
    assert code == 0
    assert out.startswith(f"{BASE} -> {BASE}: no changes")


def test_breaking_change_exits_1_and_text_lists_it_first(capsys, breaking_pair):
    code, out, _ = run(capsys, *breaking_pair)
    assert code == 1
    lines = out.splitlines()
    assert lines[2] == "BREAKING (1)"
    assert "request body .purposeCode: property 'purposeCode' became required  " \
           "(request-property-became-required) [breaks clients]" in out
    assert out.index("BREAKING") < out.index("POTENTIALLY-BREAKING") < out.index("SAFE")


@pytest.mark.parametrize(("fail_on", "expected"), [("none", 0), ("potential", 1),
                                                    ("breaking", 1)])
def test_fail_on_threshold(capsys, breaking_pair, fail_on, expected):
    assert run(capsys, *breaking_pair, "--fail-on", fail_on)[0] == expected


def test_only_safe_changes_pass_even_at_potential(capsys, tmp_path):
    new = load()
    new["components"]["schemas"]["Unused"] = {"type": "string"}
    assert run(capsys, BASE, write(tmp_path / "n.json", new), "--fail-on", "potential")[0] == 0


def test_json_is_sorted_and_deterministic(capsys, breaking_pair):
    _, first, _ = run(capsys, *breaking_pair, "--format", "json")
    _, second, _ = run(capsys, *breaking_pair, "--format", "json")
    assert first == second
    report = json.loads(first)
    # one finding per cause: Drawdown's new required property is one finding on the response
    # side, reaching two places (GET /drawdowns/{id} 200 and POST ... 201)
    assert report["summary"] == {"breaking": 1, "potentially-breaking": 1, "safe": 1}
    assert report["places"] == 4
    assert [c["count"] for c in report["changes"]] == [1, 2, 1]
    rules = [c["rule"] for c in report["changes"]]
    assert rules[0] == "request-property-became-required"
    assert report["changes"][0]["location"] == (
        "POST /credit-lines/{lineId}/drawdowns request body .purposeCode")
    assert report["changes"][0]["breaks"] == "clients"


def test_markdown_is_a_table(capsys, breaking_pair):
    _, out, _ = run(capsys, *breaking_pair, "--format", "markdown")
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    assert rows[0] == "| severity | breaks | rule | location | change | why | old | new |"
    assert len(rows) == 1 + 3
    assert "| breaking | clients | `request-property-became-required` |" in rows[1]


def test_junit_marks_breaking_changes_as_failures(capsys, breaking_pair, tmp_path):
    report = tmp_path / "diff.xml"
    code, out, _ = run(capsys, *breaking_pair, "--format", "junit", "--output", report)
    assert code == 1
    assert f"report written to {report}" in out
    suite = ET.fromstring(report.read_text(encoding="utf-8"))
    assert suite.get("tests") == "3" and suite.get("failures") == "1"
    failed = [case.get("name") for case in suite if case.find("failure") is not None]
    assert failed == ["request-property-became-required POST /credit-lines/{lineId}/drawdowns "
                      "request body .purposeCode"]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("missing.yaml", None, "missing.yaml: file not found"),
    ("bad.yaml", "openapi: [3.0\n", "bad.yaml:2:1: not valid YAML or JSON"),
    ("list.yaml", "- a\n", "not an OpenAPI document: the top level is a list"),
    ("plain.yaml", "name: x\n", "not an OpenAPI document: no 'openapi' or 'swagger' key"),
    ("dup.yaml", "openapi: 3.0.0\npaths:\n  /a: {}\n  /a: {}\n",
     "dup.yaml:4:3: duplicate key '/a' in one mapping"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    code, _, err = run(capsys, path, BASE)
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert message in err


def test_unresolvable_ref_names_file_and_pointer(capsys):
    code, _, err = run(capsys, FIX / "broken-ref.yaml", BASE)
    assert code == 2
    assert err.strip() == (
        f"drawbridge: {FIX / 'broken-ref.yaml'} #/paths/~1lines/get/responses/200/content/"
        "application~1json/schema/$ref: $ref '#/components/schemas/Missing' cannot be "
        "resolved: no 'Missing' under #/components/schemas; fix: fix the pointer or add the "
        "missing definition")


def test_a_diff_of_two_files_loads_no_core_model_and_no_scenario_loader(tmp_path):
    # The diff of two documents needs neither a bank nor the scenario loader's JSON Schema:
    # importing them cost the largest real pair a fifth of its CPU and 10 MiB (make bench).
    import subprocess
    import sys

    probe = (
        "import sys\n"
        f"sys.argv = ['drawbridge', 'diff', {str(BASE)!r}, {str(BASE)!r}, '--output', "
        f"{str(tmp_path / 'out.txt')!r}]\n"
        "from harness.cli.main import main\n"
        "try:\n    code = main() or 0\nexcept SystemExit as exit:\n    code = exit.code\n"
        "print(code, sorted(m for m in sys.modules if m.startswith(('fake_core_bank.cores', "
        "'fake_core_bank.lending', 'harness.scenarios.loader', 'jsonschema'))))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.split("\n")[-2] == "0 []", done.stdout + done.stderr
