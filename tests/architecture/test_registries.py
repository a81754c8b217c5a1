"""Issue 17: each kind of plug-in has ONE registry, and every place that names the kind agrees.

Oracles (``harness.oracles.ORACLES``), connector drivers (``harness.drivers.spec.DRIVERS``),
report formats (``harness.reporting.formats.FORMATS``; the contract diff's own formats in
``harness.contracts.renderers.RENDERERS``) and fault kinds
(``fake_core_bank.domain.faults.FAULTS``). Lists that can be derived from a registry are (the
vocabulary's fault kinds, the control API's schema, the ``--connector`` help, the files a run
lists); the others are read here and tied with :func:`tie`:

- a *complete* source names every registered item (the vocabulary, the published schema, the
  docs page that lists the kind): a registered item it misses is reported, and so is an item it
  names that is not registered;
- a *mention* names some (prose, help texts, the mutation catalogue's expected killers): an item
  it names that is not registered is reported.

Each check is shown to fire by a test that adds or removes a registry entry.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import click
import pytest

from fake_core_bank.domain.faults import FAULTS
from fake_core_bank.http.control_schema import SCHEMAS as CONTROL_SCHEMAS
from harness.contracts.renderers import RENDERERS
from harness.contracts.verify_report import RENDERERS as VERIFY_RENDERERS
from harness.drivers.spec import DRIVERS, SPEC_FORMS
from harness.mutate.operators import CATALOGUE
from harness.oracles import ORACLES, tied_to_vocabulary
from harness.reporting.formats import FORMATS
from harness.scenarios import vocabulary

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
Sources = Mapping[str, Iterable[str]]


def tie(kind: str, registered: Iterable[str], complete: Sources,
        mentions: Sources | None = None) -> list[str]:
    """Every disagreement between a registry and the places that name its items, one line each."""
    registered = list(registered)
    problems = []
    for source, names in complete.items():
        named = set(names)
        problems += [f"{kind} {name!r} is registered but {source} does not name it"
                     for name in registered if name not in named]
    for source, names in {**complete, **(mentions or {})}.items():
        problems += [f"{kind} {name!r} named in {source} is not registered"
                     for name in sorted(set(names)) if name not in registered]
    return problems


def tie_changed(monkeypatch: pytest.MonkeyPatch, kind: str, registry: dict[str, Any],
                sources: Callable[[], tuple[Sources, Sources]], added: str,
                removed: str) -> list[str]:
    """The check's answer once ``added`` is registered (as a copy of the first entry) and
    ``removed`` is not: how each test below shows its check fires."""
    monkeypatch.setitem(registry, added, next(iter(registry.values())))
    monkeypatch.delitem(registry, removed)
    return tie(kind, registry, *sources())


def backticked(text: str) -> list[str]:
    return re.findall(r"`([^`]+)`", text)


def doc_line(page: str, starts: str) -> str:
    """The one line of ``docs/<page>`` that starts with ``starts``."""
    lines = [line for line in (DOCS / page).read_text(encoding="utf-8").splitlines()
             if line.startswith(starts)]
    assert len(lines) == 1, f"docs/{page}: expected one line starting {starts!r}, got {lines}"
    return lines[0]


# -- oracles -------------------------------------------------------------------------------------

def oracle_sources() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    schema = json.loads((ROOT / "scenarios/schema/scenario-1.schema.json").read_text())
    text = (DOCS / "scenario-format.md").read_text(encoding="utf-8")
    listing = text.split("Oracle names:", 1)[1].split("\n\n", 1)[0]
    modules = []
    for path in sorted((ROOT / "harness/oracles").glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "NAME" for t in node.targets):
                assert isinstance(node.value, ast.Constant), path
                modules.append(str(node.value.value))
    prose = [m for page in sorted(DOCS.glob("*.md"))
             for m in re.findall(r"\b([a-z]+(?:-[a-z]+)+)`? oracles?\b",
                                 page.read_text(encoding="utf-8"))]
    complete = {
        "harness/scenarios/vocabulary.py ORACLES": list(vocabulary.ORACLES),
        "scenarios/schema/scenario-1.schema.json ($defs.oracle)": schema["$defs"]["oracle"]["enum"],
        "docs/scenario-format.md (Oracle names)": backticked(listing),
        "the NAME of a module in harness/oracles/": modules,
    }
    mentions = {
        "the mutation catalogue (an operator's expected killers)":
            [o for op in CATALOGUE.values() for o in op.oracles],
        "docs/*.md ('the <name> oracle')": prose,
    }
    return complete, mentions


def test_a_registry_the_vocabulary_does_not_match_is_refused_at_import() -> None:
    """harness.oracles ties its registry to the vocabulary when it is imported: an oracle named
    but not registered would silently never run."""
    registry = dict(ORACLES)
    assert tied_to_vocabulary(registry) is registry
    del registry["ledger-total"]
    registry["made-up"] = lambda ctx: []
    with pytest.raises(RuntimeError, match=r"named but not registered: ledger-total; registered "
                                           r"but not named: made-up; register"):
        tied_to_vocabulary(registry)


# -- drivers ------------------------------------------------------------------------------------

def _spec_kinds(text: str) -> list[str]:
    """The kinds of the connector specs a help text or a line of docs shows."""
    return re.findall(r"(?<![\w/.-])([a-z][a-z-]*):(?://|[A-Za-z<.])", text)


def driver_sources() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    from harness.cli.main import cli

    helps = [o.help or "" for name in sorted(cli.list_commands(click.Context(cli)))
             for o in command_options(name) if "--connector" in o.opts]
    usage = [m for page in [*sorted(DOCS.glob("*.md")), ROOT / "README.md"]
             for m in re.findall(r"--(?:drawbridge-)?connector[ =]`?([a-z][a-z-]*):",
                                 page.read_text(encoding="utf-8"))]
    protocol = (DOCS / "driver-protocol.md").read_text(encoding="utf-8")
    complete = {
        "docs/driver-protocol.md": re.findall(r"`([a-z][a-z-]*):", protocol),
    }
    mentions = {
        "a command's --connector help": [k for h in helps for k in _spec_kinds(h)],
        "docs/pytest-plugin.md (--drawbridge-connector)":
            _spec_kinds(doc_line("pytest-plugin.md", "| `--drawbridge-connector SPEC`")),
        "a --connector example in docs/ or README.md": usage,
        "SPEC_FORMS": _spec_kinds(SPEC_FORMS),
    }
    return complete, mentions


def test_an_unknown_spec_kind_is_one_line_naming_the_kinds() -> None:
    from fake_core_bank.errors import InputError
    from harness.drivers.spec import driver_factory

    with pytest.raises(InputError, match=r"^--connector: unknown connector kind 'containr'; "
                                         r"fix: did you mean 'container'\? valid connector "
                                         r"kinds: command, container, http, https, python, "
                                         r"python-in-process$"):
        driver_factory("containr:my-image:1.0")
    with pytest.raises(InputError, match=re.escape("has no kind; fix: write python:module:Class, "
                                                   "command:<cmd>, http://host:port or "
                                                   "container:IMAGE")):
        driver_factory("my-connector")


# -- report formats -----------------------------------------------------------------------------

def format_rows() -> dict[str, list[str]]:
    """docs/reports.md's table of formats: name -> its cells."""
    text = (DOCS / "reports.md").read_text(encoding="utf-8")
    table = text.split("## Formats", 1)[1].split("\n\n", 2)[1]
    rows = {}
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[backticked(cells[0])[0]] = cells
    return rows


def format_sources() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    return {"docs/reports.md (## Formats)": list(format_rows())}, {}


def test_every_report_format_is_documented_with_its_files() -> None:
    for name, cells in format_rows().items():
        fmt = FORMATS[name]
        assert backticked(cells[1]) == [fmt.file], cells
        assert backticked(cells[2]) == [fmt.certificate_file or fmt.file], cells
        assert cells[3] == fmt.summary, cells


#: command -> the registry of its --format values and the docs page whose usage shows them
FORMAT_OPTIONS: dict[str, tuple[dict[str, Any], str]] = {
    "diff": (RENDERERS, "contract-diff.md"),
    "verify-provider": (VERIFY_RENDERERS, "verify-provider.md"),
}


def command_options(name: str) -> list[click.Option]:
    from harness.cli.main import cli

    command = cli.get_command(click.Context(cli), name)
    assert command is not None, name
    return [p for p in command.params if isinstance(p, click.Option)]


def cli_format_sources(command: str) -> dict[str, list[str]]:
    """Where the --format values of ``command`` are named: its click choices, its docs usage."""
    page = FORMAT_OPTIONS[command][1]
    usage = re.search(r"\[--format ([a-z|]+)\]", (DOCS / page).read_text(encoding="utf-8"))
    assert usage, f"docs/{page} shows no [--format a|b] usage"
    option = next(o for o in command_options(command) if "--format" in o.opts)
    assert isinstance(option.type, click.Choice)
    sources = {f"drawbridge {command} --format": [str(c) for c in option.type.choices],
               f"docs/{page} (usage)": usage[1].split("|")}
    if command == "diff":
        sources["docs/contract-diff.md (renderers/)"] = [
            n.strip() for n in doc_line("contract-diff.md", "| `renderers/` |")
            .split("|")[2].split(",")]
    return sources


def test_every_format_option_is_one_of_the_registries_here() -> None:
    from harness.cli.main import cli

    with_format = [name for name in cli.list_commands(click.Context(cli))
                   if any("--format" in o.opts for o in command_options(name))]
    assert sorted(with_format) == sorted(FORMAT_OPTIONS), \
        "a command has a --format option: add its registry to FORMAT_OPTIONS"


@pytest.mark.parametrize("command", sorted(FORMAT_OPTIONS))
def test_every_format_of_a_command_is_offered_and_documented(command: str) -> None:
    registry = FORMAT_OPTIONS[command][0]
    assert tie(f"{command} format", registry, cli_format_sources(command)) == []


@pytest.mark.parametrize("command", sorted(FORMAT_OPTIONS))
def test_the_format_option_check_reports_an_undocumented_format(
        monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    registry, page = FORMAT_OPTIONS[command]
    monkeypatch.setitem(registry, "sarif", registry["json"])
    assert f"{command} format 'sarif' is registered but docs/{page} (usage) does not name " \
           "it" in tie(f"{command} format", registry, cli_format_sources(command))


# -- fault kinds --------------------------------------------------------------------------------

def fault_sources() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    schema = json.loads((ROOT / "scenarios/schema/scenario-1.schema.json").read_text())
    scenario_row = doc_line("scenario-format.md", "| `fault` |").split("`kind` ", 1)[1]
    return {
        "harness/scenarios/vocabulary.py FAULT_KINDS": list(vocabulary.FAULT_KINDS),
        "scenarios/schema/scenario-1.schema.json (event-fault kind)":
            schema["$defs"]["event-fault"]["properties"]["kind"]["enum"],
        "fake_core_bank/http/control_schema.py (POST /faults)":
            CONTROL_SCHEMAS[("POST", "/faults")]["properties"]["kind"]["enum"],
        "docs/scenario-format.md (fault event)":
            backticked(scenario_row.split("(", 1)[1].split(")", 1)[0]),
        "docs/control-api.md (POST /_control/faults)":
            backticked(doc_line("control-api.md", "| `POST /_control/faults` |")
                       .split("(", 1)[1].split(")", 1)[0]),
        "docs/pytest-plugin.md (inject_fault)":
            backticked(doc_line("pytest-plugin.md", "| `inject_fault(").split("|")[2]),
    }, {}


def test_the_checker_lists_each_disagreement_once_per_source() -> None:
    problems = tie("thing", ["a", "b"], {"list": ["a", "c"]}, {"prose": ["c", "d", "a"]})
    assert problems == ["thing 'b' is registered but list does not name it",
                        "thing 'c' named in list is not registered",
                        "thing 'c' named in prose is not registered",
                        "thing 'd' named in prose is not registered"]


# -- every kind ---------------------------------------------------------------------------------

#: kind, its registry, where it is named, an entry added and one removed, and what the check
#: must then say (among other lines)
KINDS: list[tuple[str, dict[str, Any], Callable[[], tuple[Sources, Sources]], str, str,
                  list[str]]] = [
    ("oracle", ORACLES, oracle_sources, "made-up", "ledger-total", [
        "oracle 'made-up' is registered but docs/scenario-format.md (Oracle names) does not "
        "name it",
        "oracle 'ledger-total' named in harness/scenarios/vocabulary.py ORACLES is not registered",
        "oracle 'ledger-total' named in the NAME of a module in harness/oracles/ is not "
        "registered"]),
    ("driver kind", DRIVERS, driver_sources, "grpc", "container", [
        "driver kind 'grpc' is registered but docs/driver-protocol.md does not name it",
        "driver kind 'container' named in a command's --connector help is not registered"]),
    ("report format", FORMATS, format_sources, "sarif", "junit", [
        "report format 'sarif' is registered but docs/reports.md (## Formats) does not name it",
        "report format 'junit' named in docs/reports.md (## Formats) is not registered"]),
    ("fault kind", FAULTS, fault_sources, "slow-drip", "drop", [
        "fault kind 'slow-drip' is registered but docs/control-api.md (POST /_control/faults) "
        "does not name it",
        "fault kind 'drop' named in docs/pytest-plugin.md (inject_fault) is not registered"]),
]


@pytest.mark.parametrize(("kind", "registry", "sources"), [k[:3] for k in KINDS],
                         ids=[k[0] for k in KINDS])
def test_every_registered_item_is_named_and_every_named_item_is_registered(
        kind: str, registry: dict[str, Any],
        sources: Callable[[], tuple[Sources, Sources]]) -> None:
    assert tie(kind, registry, *sources()) == []


@pytest.mark.parametrize(("kind", "registry", "sources", "added", "removed", "expected"), KINDS,
                         ids=[k[0] for k in KINDS])
def test_the_check_reports_an_unnamed_and_an_unregistered_item(
        monkeypatch: pytest.MonkeyPatch, kind: str, registry: dict[str, Any],
        sources: Callable[[], tuple[Sources, Sources]], added: str, removed: str,
        expected: list[str]) -> None:
    problems = tie_changed(monkeypatch, kind, registry, sources, added, removed)
    missing = [line for line in expected if line not in problems]
    assert missing == [], problems
