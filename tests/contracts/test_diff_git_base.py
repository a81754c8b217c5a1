"""``drawbridge diff --base REF [PATHS...]`` in a temporary git repository, as CI runs it.

Issue 20 point 7: every OpenAPI document under the paths against its version at REF, one
report, GitHub annotations on the changed lines, relative $refs resolved at REF.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from diff_helpers import BASE
from diff_helpers import run_cli as run

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

SPEC = "api/lending.yaml"


def git(repo, *args):
    subprocess.run(["git", "-c", "user.email=ci@example.invalid", "-c", "user.name=ci", *args],
                   cwd=repo, check=True, capture_output=True, timeout=60)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository whose main holds the fixture spec, a split spec with a relative $ref, and
    a YAML file that is not OpenAPI; the working tree then makes purposeCode required."""
    (tmp_path / "api").mkdir()
    text = BASE.read_text(encoding="utf-8")
    (tmp_path / SPEC).write_text(text)
    (tmp_path / "api" / "money.yaml").write_text("Money: {type: string, maxLength: 20}\n")
    (tmp_path / "api" / "split.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: s, version: '1'}\npaths:\n  /m:\n    get:\n"
        "      responses:\n        '200':\n          description: ok\n          content:\n"
        "            application/json:\n              schema: {$ref: 'money.yaml#/Money'}\n")
    (tmp_path / "ci.yaml").write_text("jobs: {}\n")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "base")
    (tmp_path / SPEC).write_text(text.replace("required: [amount, beneficiaryAccount]",
                                              "required: [amount, beneficiaryAccount, "
                                              "purposeCode]"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_spec_against_its_version_at_the_ref(capsys, repo):
    assert "purposeCode]" in (repo / SPEC).read_text()
    code, out, err = run(capsys, "--base", "main")
    assert code == 1
    assert f"main:{SPEC} -> {SPEC}: 1 breaking" in out
    # old: where purposeCode is declared; new: the required list that now names it
    assert f"      old: main:{SPEC}:56:9  new: {SPEC}:52:17" in out
    assert "main:api/split.yaml -> api/split.yaml: no changes" in out
    assert "ci.yaml" not in out + err  # not an OpenAPI document


def test_relative_refs_resolve_at_the_ref(capsys, repo):
    (repo / "api" / "money.yaml").write_text("Money: {type: string, maxLength: 10}\n")
    code, out, _ = run(capsys, "--base", "main", "api/split.yaml", "--fail-on", "potential")
    assert code == 1
    assert "maxLength 20 -> 10" in out
    assert "old: main:api/money.yaml:1:8  new: api/money.yaml:1:8" in out


def test_github_annotations_name_the_repository_path_and_line(capsys, repo):
    code, out, _ = run(capsys, "--base", "main", "api", "--format", "github")
    assert code == 1
    assert out.splitlines()[0].startswith(
        f"::error file={SPEC},line=52,col=17,title=request-property-became-required "
        "[breaks clients]::property 'purposeCode' became required: old clients that omit it")


def test_json_and_junit_stay_one_document(capsys, repo):
    _, out, _ = run(capsys, "--base", "main", "--format", "json")
    report = json.loads(out)
    assert report["base"] == "main"
    assert [d["new"] for d in report["documents"]] == [SPEC, "api/split.yaml"]
    _, out, _ = run(capsys, "--base", "main", "--format", "junit")
    suites = ET.fromstring(out)
    assert suites.tag == "testsuites" and len(suites) == 2


def test_a_new_spec_is_noted_not_compared(capsys, repo):
    (repo / "api" / "new.yaml").write_text(BASE.read_text(encoding="utf-8"))
    code, out, err = run(capsys, "--base", "main", "api/new.yaml")
    assert code == 0
    assert "api/new.yaml is new since main: nothing to compare" in err
    assert out == "0 document(s) against main: no changes\n"


@pytest.mark.parametrize(("args", "message"), [
    (("--base", "no-such-ref"), "--base no-such-ref: no such commit, branch or tag"),
    (("--base", "main", "missing.yaml"), "missing.yaml: no such file or directory"),
    (("--base", "main", "--emit-scenarios", "out"),
     "--emit-scenarios: needs two named versions, not --base"),
    ((BASE,), "drawbridge diff: expected OLD and NEW, got 1 path(s)"),
])
def test_bad_use_is_one_line_and_exit_2(capsys, repo, args, message):
    code, _, err = run(capsys, *args)
    assert code == 2
    assert err.count("\n") == 1 and message in err


def test_outside_a_repository_is_one_line(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "--base", "main")
    assert code == 2
    assert "not inside a git repository" in err and err.count("\n") == 1


def test_a_real_upgrade_annotates_each_finding_once(capsys, tmp_path, monkeypatch):
    from test_diff_real_specs import PSD2

    spec = tmp_path / "psd2.yaml"
    shutil.copyfile(PSD2 / "1.3.8-20201106.yaml", spec)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "1.3.8")
    shutil.copyfile(PSD2 / "1.3.9-20210504.yaml", spec)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "--base", "main", "--format", "github", "--fail-on", "none")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 212  # one per finding, not one per change (1,076)
    dropped = [x for x in lines if "enum removed: any value allowed" in x
               and x.startswith("::warning file=psd2.yaml,line=8296,col=7,")]
    assert len(dropped) == 1  # MessageCode400_AIS, at its line in 1.3.9


def test_a_broken_document_at_the_ref_is_named_by_the_ref(capsys, repo):
    (repo / "api" / "broken.yaml").write_text("openapi: 3.0.3\npaths: [\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "broken")
    (repo / "api" / "broken.yaml").write_text("openapi: 3.0.3\ninfo: {title: b, version: '1'}\n"
                                              "paths: {}\n")
    code, _, err = run(capsys, "--base", "main", "api/broken.yaml")
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("drawbridge: main:api/broken.yaml:3:1: not valid YAML or JSON")
