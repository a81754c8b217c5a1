"""``make demo``: the main job on the embedded, in-process fake bank.

1. The fake core bank answers for a seeded enterprise in every contract version.
2. The contract diff between the versions: what breaks whom.
3. The scenario library against the reference connectors -- Python in process, the same one
   as an HTTP service, Node.js over the command protocol when ``node`` is installed -- and the
   legacy v1 one against a core upgraded to v2, reports written to disk.
4. The certification of the reference connectors against the v2 and v3 profiles, with the
   certificate, the HTML report and the Markdown summary written to reports/certification/,
   and the deploy gate asked of the recorded history.
5. Briefly, each other core model given with ``--also CORE CONNECTOR PROFILE`` (``make demo``
   names the example gateway core): its versions, the diff between them and the certification
   of its connector against its own profile, through the same public interface.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
from rich.console import Console

from fake_core_bank import cores
from fake_core_bank.errors import InputError
from fake_core_bank.fake import BankConfig
from fake_core_bank.server import BankServer
from harness.bundles import BundleReporter
from harness.certify import history
from harness.certify.profiles import load_profile, resolve_profile
from harness.certify.release import can_release
from harness.certify.session import CertifyRequest, run_certification
from harness.contracts import Severity, diff_files
from harness.drivers import driver_factory
from harness.engine.events import Reporter
from harness.engine.runner import RunOptions
from harness.engine.session import plan, run_plan
from harness.paths import default_library, shown
from harness.reporting.console import ConsoleReporter
from harness.reporting.formats import ReportsReporter, write_reports
from harness.scenarios.library import load_library

REPORTS = Path("reports")
CONNECTORS = [
    ("reference-python", "python:examples.connectors.reference_py:ReferenceConnector",
     ("v2", "v3")),
    ("reference-http", "{service}", ("v2", "v3")),
    ("reference-node", "command:node examples/connectors/node/connector.js", ("v2", "v3")),
    ("legacy-v1", "python:examples.connectors.legacy_v1:LegacyV1Connector", ("v2",)),
]


#: The reference HTTP service's port: a fixed one, so that its spec (``http://127.0.0.1:8765``),
#: and with it the certificate, is the same on every run; any free port when it is taken.
SERVICE_PORT = 8765


@contextmanager
def reference_service(ports: tuple[int, ...] = (SERVICE_PORT, 0)) -> Iterator[str]:
    """The reference connector as an HTTP service on loopback, on the first of ``ports`` it can
    listen on (0: any free one); yields its URL."""
    said = ""
    for port in ports:
        with subprocess.Popen([sys.executable, "-m", "examples.connectors.reference_http",
                               "--port", str(port)], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True) as proc:
            try:
                assert proc.stdout is not None
                said = proc.stdout.readline().strip()
                if said.startswith("listening on "):
                    yield said.removeprefix("listening on ")
                    return
            finally:
                proc.terminate()
                proc.wait(timeout=10)
    raise InputError("examples/connectors/reference_http",
                     f"the reference HTTP service did not start: {said or 'no output'}",
                     "run python -m examples.connectors.reference_http --port 0 to see why")


def connectors(service: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """The demo's connectors that can run here (Node.js only when ``node`` is installed)."""
    return [(name, spec.format(service=service), versions) for name, spec, versions in CONNECTORS
            if not (spec.startswith("command:node") and shutil.which("node") is None)]


def show_bank(console: Console) -> None:
    console.rule("1. The fake core bank, every version side by side")
    with BankServer(BankConfig(seed=7, customers=3)) as server, httpx.Client(
            base_url=server.base_url) as http:
        console.print(f"serving {server.base_url} (in process, loopback)")
        customer = http.get("/v2/customers/ENT000001").json()
        console.print(f"enterprise: {customer['name']}  credit code {customer['creditCode']}  "
                      f"region {customer['region']}")
        for version in ("v1", "v2", "v3"):
            response = http.get(f"/{version}/credit-lines/CL000001")
            line = response.json()
            deprecated = response.headers.get("deprecation")
            console.print(
                f"  {version}: limit={line['limit']!r} available={line['available']!r} "
                f"status={line['status']} "
                f"{'expiresOn' if 'expiresOn' in line else 'expiryDate'}="
                f"{line.get('expiresOn') or line.get('expiryDate')}"
                + (f"  [dim](Deprecation {deprecated}, Link {response.headers['link']})[/]"
                   if deprecated else ""))


def show_diff(console: Console) -> None:
    console.rule("2. What changed between the contract versions")
    show_changes(console, cores.active())


def show_changes(console: Console, model: cores.CoreModel) -> None:
    """One line per pair of consecutive versions of ``model``: changes, breaking ones."""
    for old, new in zip(model.versions, model.versions[1:], strict=False):
        before, after = model.contract_path(old), model.contract_path(new)
        changes = diff_files(before, after)
        breaking = [c for c in changes if c.severity is Severity.BREAKING]
        console.print(f"{old} -> {new}: {len(changes)} changes, {len(breaking)} breaking "
                      f"(full list: drawbridge diff {shown(before)} {shown(after)})")


def run_library(console: Console, service: str, *, progress: bool = True) -> bool:
    console.rule("3. The scenario library against the reference connectors")
    library = load_library(default_library())
    healthy = True
    if shutil.which("node") is None:
        console.print("[yellow]reference-node: skipped, node is not installed[/]")
    for name, spec, versions in connectors(service):
        make_driver, identity = driver_factory(spec)
        out = REPORTS / name
        options = RunOptions(seed=0)
        reports = ReportsReporter(out)  # the reports `drawbridge run` writes
        reporters: list[Reporter] = [
            ConsoleReporter(console, connector_spec=spec, progress=progress),
            reports,
            BundleReporter(out / "bundles", library, options, echo=lambda line: console.print(
                line, markup=False, highlight=False, soft_wrap=True))]
        results, _ = run_plan(plan(library, versions), make_driver, identity, options,
                              jobs=2, reporters=reporters)
        console.print(f"reports: {out}/" + ", ".join(p.name for p in reports.written) + "\n")
        if name.startswith("reference") and not all(r.passed for r in results):
            healthy = False
    return healthy


def certify_references(console: Console, service: str, *, progress: bool = True) -> bool:
    console.rule("4. Certification of the reference connectors")
    library = load_library(default_library())
    specs = tuple(spec for name, spec, _ in connectors(service) if name.startswith("reference"))
    history_path = REPORTS / "history.sqlite"
    history_path.unlink(missing_ok=True)
    passed = True
    for profile_id in ("v2", "v3"):
        profile = load_profile(resolve_profile(profile_id), library)
        request = CertifyRequest(connectors=specs, versions=(profile.version,),
                                 scenarios=tuple(library), profile=profile, jobs=2,
                                 as_of=datetime.now(UTC).date())
        document, _ = run_certification(request, console, progress=progress)
        out = REPORTS / "certification" / profile_id
        paths = write_reports(document, out)
        history.record(history_path, document)
        gate = document["gate"]
        passed = passed and gate["passed"]
        console.print(f"profile {profile_id}: gate {'PASSED' if gate['passed'] else 'FAILED'}"
                      f", {len(document['matrix'])} verdicts, digest {document['digest'][:23]}...")
        console.print("  " + ", ".join(str(p) for p in paths))
    answer = can_release(history_path, "reference-python@1.0.0", "v3")
    console.print(f"drawbridge can-release --connector reference-python@1.0.0 --core-version v3: "
                  f"{'yes' if answer.release else 'no'}: {answer.reason}", markup=False)
    return passed


def show_core(console: Console, spec: str, connector: str, profile_id: str, *,
              progress: bool = True) -> bool:
    """Another core model beside the built-in one: its versions, what changed between them and
    its connector certified against its own profile (reports/certification/<profile>/)."""
    model = cores.load(spec)
    console.rule(f"5. Another core model: {model.title or model.name} ({spec})")
    with cores.using(model):
        console.print(f"versions {', '.join(model.versions)}; contracts "
                      f"{', '.join(shown(model.contract_path(v)) for v in model.versions)}")
        show_changes(console, model)
        library = load_library(default_library())
        profile = load_profile(resolve_profile(profile_id), library)
        request = CertifyRequest(connectors=(connector,), versions=(profile.version,),
                                 scenarios=tuple(library), profile=profile, jobs=2,
                                 as_of=datetime.now(UTC).date())
        document, _ = run_certification(request, console, progress=progress)
        paths = write_reports(document, REPORTS / "certification" / profile_id)
    passed: bool = document["gate"]["passed"]
    console.print(f"profile {profile_id}: gate {'PASSED' if passed else 'FAILED'}, "
                  f"{len(document['matrix'])} verdicts; " + ", ".join(str(p) for p in paths))
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.demo",
                                     description="The main job on the in-process fake bank.")
    parser.add_argument("--no-progress", action="store_true",
                        help="No progress: no bar on a terminal, no line per finished run.")
    parser.add_argument("--also", nargs=3, action="append", default=[],
                        metavar=("CORE", "CONNECTOR", "PROFILE"),
                        help="Also show this core model (module:attr) briefly, certifying the "
                             "connector against the profile (repeatable).")
    args = parser.parse_args(argv)
    console = Console()
    try:
        return _main(console, progress=not args.no_progress, also=args.also)
    except InputError as exc:
        console.print(f"drawbridge demo: {exc.one_line()}", markup=False, highlight=False)
        return 2


def _main(console: Console, *, progress: bool = True,
          also: Sequence[Sequence[str]] = ()) -> int:
    show_bank(console)
    show_diff(console)
    with reference_service() as service:
        healthy = run_library(console, service, progress=progress)
        healthy = certify_references(console, service, progress=progress) and healthy
    for spec, connector, profile_id in also:
        healthy = show_core(console, spec, connector, profile_id, progress=progress) and healthy
    console.rule("done")
    if not healthy:
        console.print("[red]a reference connector failed a scenario or its profile: that is a "
                      "harness bug[/]")
        return 1
    console.print("The reference connectors pass; the legacy one fails what a v1 connector "
                  "cannot do on a v2 core (see above).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
