"""Findings located at file:line:column in both documents, with why; grouped by cause.

Issue 20 points 4 and 5. The synthetic pair is YAML written here, so the expected lines can
be read off the text below. Its /b reuses /a through a YAML alias: a $ref reached twice through
an alias used to fail with a traceback (KeyError) in the resolver.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from diff_helpers import run_cli
from test_diff_real_specs import PSD2

from harness.contracts import diff_files
from harness.contracts.grouping import group

OLD = """\
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get: &read
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Line'}
  /b:
    get: *read
  /c:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Line'}
      responses:
        "204": {description: done}
components:
  schemas:
    Line:
      type: object
      properties:
        id:
          type: string
        status:
          type: string
          enum: [OPEN, FROZEN]
"""
# line 25: Line's body, 27: "        id:", 30: the body of status


def _write(tmp_path, old_text, new_text):
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(old_text)
    new.write_text(new_text)
    return old, new


@pytest.fixture
def pair(tmp_path):
    new = OLD.replace("          enum: [OPEN, FROZEN]", "          enum: [OPEN, BLOCKED]")
    new = new.replace("        id:\n          type: string\n", "")  # 'id' removed
    return _write(tmp_path, OLD, new)


def test_each_change_points_at_both_documents(pair):
    old, new = pair
    changes = diff_files(old, new)
    removed = next(c for c in changes if c.rule == "response-property-removed")
    assert removed.old_at == f"{old}:27:9"  # the key 'id:' in the old document
    assert removed.new_at == f"{new}:25:7"  # the Line schema that no longer has it
    renamed = next(c for c in changes if c.rule == "response-enum-value-renamed")
    assert renamed.old_at == f"{old}:30:11"  # status's schema, old
    assert renamed.new_at == f"{new}:28:11"
    assert renamed.why == "old clients wait for the old value and meet one they do not know"


def test_one_edit_of_a_shared_schema_is_one_finding_with_its_places(pair):
    old, new = pair
    changes = diff_files(old, new)
    findings = {f.first.rule: f for f in group(changes)}
    removed = findings["response-property-removed"]
    assert removed.count == 2
    assert removed.places == ["GET /a response 200 .id", "GET /b response 200 .id"]
    # the request side is another finding: it breaks someone else
    assert findings["request-property-removed"].count == 1


def run(capsys, *args):
    code, out, _ = run_cli(capsys, *args)
    return code, out


def test_text_shows_why_where_and_a_count_and_expand_lists_every_place(capsys, pair):
    old, new = pair
    _, out = run(capsys, old, new)
    assert ("  GET /a response 200 .id: property 'id' removed  (response-property-removed) "
            "[breaks clients]") in out
    assert "      why: old clients read a field that is no longer sent" in out
    assert f"      old: {old}:27:9  new: {new}:25:7" in out
    assert "      and 1 more place (--expand lists them)" in out
    assert "GET /b response 200 .id" not in out
    _, expanded = run(capsys, old, new, "--expand")
    assert "      GET /b response 200 .id" in expanded
    assert "--expand lists them" not in expanded


def test_json_markdown_junit_carry_location_and_reason(capsys, pair):
    old, new = pair
    _, out = run(capsys, old, new, "--format", "json")
    report = json.loads(out)
    entry = next(c for c in report["changes"] if c["rule"] == "response-property-removed")
    assert (entry["old_at"], entry["new_at"]) == (f"{old}:27:9", f"{new}:25:7")
    assert entry["why"] == "old clients read a field that is no longer sent"
    assert entry["count"] == 2 and entry["places"][1] == "GET /b response 200 .id"

    _, out = run(capsys, old, new, "--format", "markdown")
    row = next(line for line in out.splitlines() if "`response-property-removed`" in line)
    assert f"| {old}:27:9 | {new}:25:7 |" in row
    assert "old clients read a field that is no longer sent" in row

    _, out = run(capsys, old, new, "--format", "junit")
    suite = ET.fromstring(out)
    case = next(c for c in suite if c.get("name").startswith("response-property-removed"))
    text = case.find("failure").text
    assert f"old: {old}:27:9" in text and f"new: {new}:25:7" in text
    assert "why: old clients read a field that is no longer sent" in text


def test_github_annotations_sit_on_the_new_line(capsys, pair):
    old, new = pair
    code, out = run(capsys, old, new, "--format", "github")
    assert code == 1
    line = next(x for x in out.splitlines() if "response-property-removed" in x)
    assert line.startswith(f"::error file={new},line=25,col=7,title=response-property-removed "
                           "[breaks clients]::property 'id' removed: old clients read a field")
    assert "%0AGET /a response 200 .id%0Aand 1 more place" in line


def test_psd2_138_to_139_enum_dropped_once_per_schema_not_per_operation():
    changes = diff_files(PSD2 / "1.3.8-20201106.yaml", PSD2 / "1.3.9-20210504.yaml")
    findings = group(changes)
    assert len(changes) == 1076 and len(findings) == 212
    [code400] = [f for f in findings if f.first.schemas[:1] == ("MessageCode400_AIS",)]
    assert code400.count == 54  # every AIS operation, status 400, both media types
    assert code400.first.message == "enum removed: any value allowed"
    # 'MessageCode400_AIS:' is on line 7919 (old) and 8295 (new); its body starts below
    assert code400.first.old_at.endswith("1.3.8-20201106.yaml:7920:7")
    assert code400.first.new_at.endswith("1.3.9-20210504.yaml:8296:7")
