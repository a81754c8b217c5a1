"""The bad-input catalogue of the command line: every command, every kind of file it reads.

Each case is run through the real ``drawbridge`` console script in a subprocess, as a shell or a
CI job would run it, and must exit 2 with exactly one line on stderr that matches the expected
message (naming the file and place or the option, the problem and, where Drawbridge words it,
the fix), and never a traceback. The scenario files' own catalogue is tests/scenarios/bad/
(61 files); amounts and times it does not cover are in test_scenario_amounts_and_times.py.
docs/reliability.md counts them all.

The cases run concurrently (a few processes at a time) in one module fixture, so the catalogue
costs a few seconds of wall time; each case is still its own test.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from reliability_kit import REFERENCE, ROOT, cli

V2 = str(ROOT / "contracts" / "core-banking" / "v2.yaml")
NOWHERE = "http://127.0.0.1:9"

OPENAPI_HEAD = 'openapi: 3.1.0\ninfo: {title: x, version: "1"}\n'
REF_RESPONSE = ("paths:\n  /a:\n    get:\n      responses:\n        '200':\n"
                "          description: ok\n          content:\n            application/json:\n"
                "              schema: {$ref: '%s'}\n")
CYCLIC = OPENAPI_HEAD + REF_RESPONSE % "#/components/schemas/A" + (
    "components:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n"
    "    B: {$ref: '#/components/schemas/A'}\n")
UNRESOLVABLE = OPENAPI_HEAD + REF_RESPONSE % "other.yaml#/X"
MATRIX = "format: drawbridge/matrix@1\n"
BASELINE = "format: drawbridge/baseline@1\nwaivers:\n  - scenario: frozen-line\n    owner: o\n"
PROFILE = "format: drawbridge/profile@1\nid: x\ntitle: x\nversion: v2\n"


def large_broken_contract() -> str:
    """About 2.3 MB of valid paths, then one syntax error 30,000 lines down."""
    paths = "".join(f"  /r{i}:\n    get:\n      description: {'x' * 300}\n      responses:\n"
                    f"        '200': {{description: ok}}\n" for i in range(6000))
    return OPENAPI_HEAD + "paths:\n" + paths + "  /broken:\n    get: [unclosed\n"


@dataclass(frozen=True)
class Case:
    id: str
    args: tuple[str, ...]  # "{d}" is replaced by the case's own directory
    expect: str  # regex the single stderr line must match (after "drawbridge: ")
    files: dict[str, str | bytes | Callable[[], str]] = field(default_factory=dict)


def case(id_: str, *args: str, expect: str,
         files: dict[str, str | bytes | Callable[[], str]] | None = None) -> Case:
    return Case(id_, args, expect, files or {})


FIX = r"; fix: "
CASES = [
    # -- contracts: drawbridge diff ------------------------------------------------------------
    case("diff-invalid-openapi", "diff", "{d}/c.yaml", V2,
         files={"c.yaml": OPENAPI_HEAD + "paths: 7\n"},
         expect=r"c\.yaml /paths: expected a mapping of path templates" + FIX),
    case("diff-not-yaml", "diff", "{d}/c.json", V2, files={"c.json": '{"openapi": "3.1.0", '},
         expect=r"c\.json:2:1: not valid YAML or JSON: .+" + FIX + "fix the syntax at that line"),
    case("diff-unresolvable-ref", "diff", "{d}/c.yaml", V2, files={"c.yaml": UNRESOLVABLE},
         expect=r"c\.yaml #/paths/~1a/get/responses/200/content/application~1json/schema/\$ref: "
                r"\$ref 'other\.yaml#/X' cannot be resolved: file .*other\.yaml not found" + FIX),
    case("diff-cyclic-ref", "diff", V2, "{d}/c.yaml", files={"c.yaml": CYCLIC},
         expect=r"c\.yaml #/paths/.*\$ref: \$ref '#/components/schemas/A' is a cycle of "
                r"references that never reaches a schema" + FIX),
    case("diff-several-mb-document", "diff", "{d}/big.yaml", V2,
         files={"big.yaml": large_broken_contract},
         expect=r"big\.yaml:30006:1: not valid YAML or JSON: did not find expected ',' or ']'"
                + FIX),
    case("diff-directory", "diff", "{d}", V2,
         expect=r"\S+: is a directory, not a file" + FIX + "give the path of an OpenAPI"),
    case("diff-binary-garbage", "diff", "{d}/c.bin", V2,
         files={"c.bin": bytes(range(256)) * 40},
         expect=r"c\.bin: not UTF-8 text \(.+\)" + FIX + "save the document as UTF-8"),
    case("diff-empty-file", "diff", "{d}/c.yaml", V2, files={"c.yaml": ""},
         expect=r"c\.yaml: not an OpenAPI document: the top level is a NoneType, not a mapping"
                + FIX),
    case("diff-utf16", "diff", V2, "{d}/c.yaml",
         files={"c.yaml": "openapi: 3.1.0\n".encode("utf-16")},
         expect=r"c\.yaml: not UTF-8 text \(invalid start byte\)" + FIX),
    case("diff-missing-file", "diff", V2, "{d}/nowhere.yaml",
         expect=r"nowhere\.yaml: file not found" + FIX + "check the path"),
    case("diff-unwritable-output", "diff", V2, V2, "--output", "/proc/no/such/report.txt",
         expect=r"/proc/no/such/report\.txt: cannot write the report: .+" + FIX),
    case("diff-unknown-format", "diff", V2, V2, "--format", "pdf",
         expect=r"Invalid value for '--format': 'pdf' is not one of"),
    # -- contracts: drawbridge verify-provider -------------------------------------------------
    case("verify-cyclic-ref", "verify-provider", "--base-url", NOWHERE, "--contract",
         "{d}/c.yaml", files={"c.yaml": CYCLIC},
         expect=r"c\.yaml #/paths/.*is a cycle of references that never reaches a schema"
                + FIX),
    case("verify-binary-garbage", "verify-provider", "--base-url", NOWHERE, "--contract",
         "{d}/c.bin", files={"c.bin": b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe" * 50},
         expect=r"c\.bin: not UTF-8 text \(.+\)" + FIX),
    case("verify-empty-contract", "verify-provider", "--base-url", NOWHERE, "--contract",
         "{d}/c.yaml", files={"c.yaml": ""}, expect=r"c\.yaml: not an OpenAPI document: .+" + FIX),
    case("verify-unresolvable-ref", "verify-provider", "--base-url", NOWHERE, "--contract",
         "{d}/c.yaml", files={"c.yaml": UNRESOLVABLE},
         expect=r"c\.yaml #/paths/.*cannot be resolved: .+" + FIX),
    case("verify-directory", "verify-provider", "--base-url", NOWHERE, "--contract", "{d}",
         expect=r"--contract: '\S+' is neither a known version nor a file" + FIX),
    case("verify-unknown-version", "verify-provider", "--base-url", NOWHERE, "--contract", "v8",
         expect=r"--contract: 'v8' is neither a known version nor a file" + FIX),
    case("verify-not-http", "verify-provider", "--base-url", "ftp://bank", "--contract", "v2",
         expect=r"--base-url: 'ftp://bank' is not an http\(s\) URL" + FIX),
    case("verify-unparsable-url", "verify-provider", "--base-url", "http://[::1", "--contract",
         "v2", expect=r"--base-url: 'http://\[::1' is not a URL: Invalid IPv6 URL" + FIX),
    case("verify-unreachable", "verify-provider", "--base-url", NOWHERE, "--contract", "v2",
         expect=r"--base-url: nothing answers at http://127\.0\.0\.1:9/v2 .+" + FIX),
    case("verify-zero-examples", "verify-provider", "--base-url", NOWHERE, "--contract", "v2",
         "--max-examples", "0", expect=r"--max-examples: 0 is not positive" + FIX),
    # -- drawbridge run ------------------------------------------------------------------------
    case("run-unknown-connector-kind", "run", "--connector", "ftp:bank",
         expect=r"--connector: unknown connector kind 'ftp'" + FIX + "valid connector kinds: "
                "command, container, http, https, python"),
    case("run-connector-without-kind", "run", "--connector", "myconnector",
         expect=r"--connector: 'myconnector' has no kind" + FIX + "write python:module:Class"),
    case("run-missing-module", "run", "--connector", "python:no_such_pkg.conn:Conn",
         expect=r"--connector: cannot import no_such_pkg\.conn: No module named 'no_such_pkg' "
                r"in \S+ or the installed packages" + FIX),
    case("run-missing-class", "run", "--connector",
         "python:examples.connectors.reference_py:RefConnector",
         expect=r"--connector: unknown class 'RefConnector'" + FIX
                + "did you mean 'ReferenceConnector'"),
    case("run-missing-executable", "run", "--connector", "command:/no/such/connector --x",
         expect=r"--connector: cannot start '/no/such/connector': No such file or directory"
                + FIX),
    case("run-unclosed-quote", "run", "--connector", "command:node 'conn.js",
         expect=r"--connector: cannot parse the command in .+: No closing quotation" + FIX),
    case("run-unknown-version", "run", "--connector", REFERENCE, "--versions", "v2,v9",
         expect=r"--versions: unknown version 'v9'" + FIX + "valid versions: v1, v2, v3"),
    case("run-empty-versions", "run", "--connector", REFERENCE, "--versions", " , ",
         expect=r"--versions: no version given" + FIX),
    case("run-shard-not-i-of-n", "run", "--connector", REFERENCE, "--shard", "half",
         expect=r"--shard: 'half' is not I/N" + FIX + r"write e\.g\. --shard 1/4"),
    case("run-shard-out-of-range", "run", "--connector", REFERENCE, "--shard", "3/2",
         expect=r"--shard: shard 3 of 2 does not exist" + FIX + "pick I between 1 and 2"),
    case("run-missing-scenario-path", "run", "{d}/nowhere", "--connector", REFERENCE,
         expect=r"nowhere: no such file or directory" + FIX + "check the path"),
    case("run-unwritable-out", "run", "--connector", REFERENCE, "--out", "/proc/no/such",
         expect=r"--out: cannot create /proc/no/such: No such file or directory" + FIX
                + "choose a writable directory"),
    case("run-zero-jobs", "run", "--connector", REFERENCE, "--jobs", "0",
         expect=r"Invalid value for '--jobs' / '-j': 0 is not in the range 1<=x<=64"),
    # -- drawbridge serve ----------------------------------------------------------------------
    case("serve-port-not-a-number", "serve", "--port", "eighty",
         expect=r"Invalid value for '--port': 'eighty' is not a valid integer range"),
    case("serve-empty-versions", "serve", "--versions", ",",
         expect=r"--versions: no version given" + FIX),
    case("serve-remote-host-without-flag", "serve", "--host", "192.0.2.10",
         expect=r"--host: 192\.0\.2\.10 is not a loopback address" + FIX
                + "pass --allow-remote"),
    case("serve-unwritable-journal", "serve", "--port", "0", "--journal", "/proc/no/j.jsonl",
         expect=r"--journal: cannot open /proc/no/j\.jsonl: No such file or directory" + FIX),
    case("serve-zero-time-scale", "serve", "--time-scale", "0",
         expect=r"Invalid value for '--time-scale': 0\.0 is not a number in \(0, 10,000,000\]"),
    # -- drawbridge certify: profiles and baselines --------------------------------------------
    case("certify-unknown-profile", "certify", "--connector", REFERENCE, "--profile", "v9",
         expect=r"--profile: unknown profile 'v9'" + FIX + "valid profiles: v1, v2, v3"),
    case("certify-empty-profile-file", "certify", "--connector", REFERENCE, "--profile",
         "{d}/p.yaml", files={"p.yaml": ""},
         expect=r"p\.yaml:1:1 \(document\): expected a mapping at the top of the file" + FIX),
    case("certify-profile-unknown-key", "certify", "--connector", REFERENCE, "--profile",
         "{d}/p.yaml", files={"p.yaml": PROFILE + "must: [frozen-line]\nmusts: []\n"},
         expect=r"p\.yaml:6:\d+ musts: unknown key 'musts'" + FIX + "did you mean 'must'"),
    case("certify-profile-unknown-scenario", "certify", "--connector", REFERENCE, "--profile",
         "{d}/p.yaml", files={"p.yaml": PROFILE + "must: [frozen-lines]\n"},
         expect=r"p\.yaml:5:\d+ must\[0\]: unknown scenario 'frozen-lines'" + FIX),
    case("certify-missing-baseline", "certify", "--connector", REFERENCE, "--profile", "v2",
         "--baseline", "{d}/b.yaml", expect=r"b\.yaml: no such file" + FIX + "check the path"),
    case("certify-baseline-february-30", "certify", "--connector", REFERENCE, "--profile", "v2",
         "--baseline", "{d}/b.yaml",
         files={"b.yaml": BASELINE + "    reason: r\n    expires: 2026-02-30\n"},
         expect=r"b\.yaml:6:\d+ waivers\[0\]\.expires: '2026-02-30' is not a date" + FIX),
    case("certify-baseline-without-reason", "certify", "--connector", REFERENCE, "--profile",
         "v2", "--baseline", "{d}/b.yaml", files={"b.yaml": BASELINE + "    expires: 2027-01-01\n"},
         expect=r"b\.yaml:3:\d+ waivers\[0\]: missing required key 'reason'" + FIX),
    case("certify-bad-as-of", "certify", "--connector", REFERENCE, "--profile", "v2",
         "--as-of", "next-week", expect=r"Invalid value for '--as-of': 'next-week' is not a date"),
    case("certify-unwritable-out", "certify", "--connector", REFERENCE, "--profile", "v2",
         "--out", "/proc/no/such", expect=r"--out: cannot create /proc/no/such: .+" + FIX),
    # -- drawbridge matrix ---------------------------------------------------------------------
    case("matrix-missing-file", "matrix", "{d}/m.yaml", expect=r"m\.yaml: no such file" + FIX),
    case("matrix-binary-file", "matrix", "{d}/m.yaml", files={"m.yaml": b"\x00\xff\xfe\x80" * 9},
         expect=r"m\.yaml:1:1: not UTF-8 text .+" + FIX + "save the file as UTF-8"),
    case("matrix-wrong-format", "matrix", "{d}/m.yaml", files={"m.yaml": "format: matrix\n"},
         expect=r"m\.yaml:1:9 format: format 'matrix' is not 'drawbridge/matrix@1'" + FIX),
    case("matrix-no-connector", "matrix", "{d}/m.yaml",
         files={"m.yaml": MATRIX + "connectors: []\nversions: [v2]\n"},
         expect=r"m\.yaml:2:\d+ connectors: no connector listed" + FIX),
    case("matrix-unknown-version", "matrix", "{d}/m.yaml",
         files={"m.yaml": MATRIX + f"connectors: [{REFERENCE}]\nversions: [v2, v7]\n"},
         expect=r"m\.yaml:3:\d+ versions\[1\]: unknown version 'v7'" + FIX),
    case("matrix-scenarios-not-a-list", "matrix", "{d}/m.yaml",
         files={"m.yaml": MATRIX + f"connectors: [{REFERENCE}]\nversions: [v2]\nscenarios: s\n"},
         expect=r"m\.yaml:4:\d+ scenarios: expected list, found str" + FIX),
    case("matrix-unknown-profile", "matrix", "{d}/m.yaml",
         files={"m.yaml": MATRIX + f"connectors: [{REFERENCE}]\nversions: [v2]\nprofile: v8\n"},
         expect=r"m\.yaml:4:\d+ profile: unknown profile 'v8'" + FIX),
    # -- drawbridge merge ----------------------------------------------------------------------
    case("merge-not-json", "merge", "{d}/c.json", files={"c.json": "certificate: yes\n"},
         expect=r"c\.json: not JSON: .+" + FIX + r"pass the certificate\.json a shard wrote"),
    case("merge-json-list", "merge", "{d}/c.json", files={"c.json": "[1, 2]"},
         expect=r"c\.json: not a certificate: the top level is a list, not an object" + FIX),
    case("merge-wrong-format", "merge", "{d}/c.json",
         files={"c.json": json.dumps({"format": "drawbridge/results@1"})},
         expect=r"c\.json: cannot merge: format 'drawbridge/results@1' is not "
                r"'drawbridge/certificate@1'" + FIX),
    case("merge-missing-file", "merge", "{d}/c.json", expect=r"c\.json: no such file" + FIX),
    # -- drawbridge can-release ----------------------------------------------------------------
    case("can-release-connector-without-version", "can-release", "--connector", "erp-conn",
         "--core-version", "v2", expect=r"--connector: 'erp-conn' has no version" + FIX
                                + "write NAME@VERSION"),
    case("can-release-unknown-core", "can-release", "--connector", "erp@1.0", "--core-version",
         "v4", expect=r"--core-version: unknown version 'v4'" + FIX + "valid versions: v1, v2, v3"),
    case("can-release-version-as-core", "can-release", "--connector", "erp@1.0", "--core", "v2",
         expect=r"--core: 'v2' is a version, not a core model" + FIX + "write --core-version v2"),
    case("run-core-not-importable", "run", "--connector", "python:x:Y", "--core",
         "no_such_module_xyz:core",
         expect=r"--core: cannot import no_such_module_xyz: .*" + FIX + "install the package"),
    case("run-core-not-a-model", "run", "--connector", "python:x:Y", "--core", "os:sep",
         expect=r"--core: os:sep is not a CoreModel \(found str\)" + FIX),
    case("serve-core-garbage", "serve", "--core", "not a spec",
         expect=r"--core: 'not a spec' names no core model" + FIX + "give module:attribute"),
    case("can-release-history-not-sqlite", "can-release", "--connector", "erp@1.0",
         "--core-version", "v2", "--history", "{d}/h.sqlite",
         files={"h.sqlite": "not a database\n" * 100},
         expect=r"h\.sqlite: not a results history: file is not a database" + FIX),
    # -- the command line itself ---------------------------------------------------------------
    case("unknown-command", "certfy", expect=r"unknown command 'certfy'" + FIX
                                             + "did you mean 'certify'"),
    case("unknown-option", "run", "--conector", "x",
         expect=r"No such option '--conector'\. .*Did you mean .*'--connector'"),
]


@dataclass
class Outcome:
    returncode: int
    stderr: str


def run_case(c: Case, root: Path) -> Outcome:
    where = root / c.id
    where.mkdir()
    for name, content in c.files.items():
        data = content() if callable(content) else content
        target = where / name
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    try:
        done = cli(*(a.replace("{d}", str(where)) for a in c.args), cwd=ROOT, timeout=90)
    except subprocess.TimeoutExpired:
        return Outcome(-1, "timed out after 90 s")
    return Outcome(done.returncode, done.stderr)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    root = tmp_path_factory.mktemp("bad-cli")
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = {c.id: pool.submit(run_case, c, root) for c in CASES}
        return {name: future.result() for name, future in futures.items()}


def test_the_catalogue_is_large_and_covers_every_command() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)
    commands = {c.args[0] for c in CASES}
    assert {"diff", "verify-provider", "run", "serve", "certify", "matrix", "merge",
            "can-release"} <= commands


@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_one_line_and_exit_2(c: Case, outcomes: dict[str, Outcome]) -> None:
    got = outcomes[c.id]
    assert "Traceback" not in got.stderr, got.stderr
    lines = got.stderr.splitlines()
    assert len(lines) == 1, got.stderr
    assert got.returncode == 2, got.stderr
    assert lines[0].startswith("drawbridge: "), lines[0]
    assert re.search(c.expect, lines[0]), f"\n  expected: {c.expect}\n  got:      {lines[0]}"
