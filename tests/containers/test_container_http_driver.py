"""``--connector container:IMAGE`` for a connector *service* image (org.drawbridge.protocol=http).

The image's label picks the protocol (identity and a first operation are tested for both kinds
in test_container_driver.py); each scenario run gets its own container on its own port; a service
that never answers, dies at start, or hangs on an operation is removed and said so.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fake_core_bank.errors import InputError
from harness.drivers import driver_factory
from harness.drivers.container import ContainerHttpDriver
from harness.paths import scenarios_root

#: A service that answers its identity at once and never answers an operation.
HANGING_SERVICE = """
import http.server, json, os, time
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"name": "hanging", "version": "0"}).encode()
        self.send_response(200); self.send_header("content-length", str(len(body)))
        self.end_headers(); self.wfile.write(body)
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length") or 0))
        if self.path.endswith("/configure"):
            self.send_response(204); self.end_headers(); return
        time.sleep(600)
http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["DRAWBRIDGE_CONNECTOR_PORT"])),
                                H).serve_forever()
"""


def containers_named(name: str) -> list[str]:
    listing = subprocess.run(["docker", "ps", "--all", "--quiet", "--filter", f"name={name}"],
                             capture_output=True, text=True, check=True)
    return listing.stdout.split()


class Entrypoint(ContainerHttpDriver):
    """The service image with another program in it."""

    def __init__(self, image: str, *program: str) -> None:
        super().__init__(image, f"container:{image}")
        self.program = program

    def argv(self, name: str, port: int) -> list[str]:
        argv = super().argv(name, port)
        return [*argv[:-1], "--entrypoint", self.program[0], self.image, *self.program[1:]]


@pytest.mark.docker
def test_drawbridge_run_drives_service_containers_in_parallel_jobs(http_connector_image,
                                                                   tmp_path):
    """Two jobs, two containers side by side on the host network, each on its own port."""
    scenarios = [scenarios_root() / "line-state" / "frozen-line.yaml",
                 scenarios_root() / "line-state" / "expired-line.yaml"]
    done = subprocess.run(
        [str(Path(sys.executable).parent / "drawbridge"), "run", *map(str, scenarios),
         "--connector", f"container:{http_connector_image}", "--versions", "v2,v3",
         "--jobs", "2", "--no-progress", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert sorted((r["scenario"], r["version"], r["verdict"]) for r in report["results"]) == [
        ("expired-line", "v2", "pass"), ("expired-line", "v3", "pass"),
        ("frozen-line", "v2", "pass"), ("frozen-line", "v3", "pass")]
    assert {r["connector"]["name"] for r in report["results"]} == {"reference-http"}


@pytest.mark.docker
def test_a_hung_operation_removes_the_container_and_fails_the_rest_at_once(
        http_connector_image):
    driver = Entrypoint(http_connector_image, "python3", "-c", HANGING_SERVICE)
    driver.start("http://127.0.0.1:9", "v2")
    name = driver.name
    assert name and containers_named(name), driver.notes.lines
    try:
        first = driver.perform({"op": "get-line", "line": "CL000001"}, 1.5)
        assert (first.status, first.detail) == ("failed", "timeout: no answer within 1.5s")
        assert containers_named(name) == []  # removed at the timeout, not left hanging
        second = driver.perform({"op": "get-line", "line": "CL000001"}, 30.0)
        assert second.status == "failed"
        assert second.detail == "connector container removed after: timeout: no answer " \
                                "within 1.5s"
    finally:
        driver.stop()


@pytest.mark.docker
@pytest.mark.parametrize(("program", "says"), [
    (("sleep", "600"), "nothing answered on port"),
    (("sh", "-c", "echo no config here >&2; exit 3"),
     "exited (3) before answering on port"),
])
def test_a_service_that_never_answers_is_removed_and_says_why(http_connector_image, program,
                                                               says):
    driver = Entrypoint(http_connector_image, *program)
    answer = driver.launch(timeout=3.0)
    assert answer is None and driver.http is None
    assert driver.broken is not None and says in driver.broken
    if program[0] == "sh":
        assert "no config here" in driver.broken  # the container's own last words
    outcome = driver.perform({"op": "get-line", "line": "CL000001"}, 1.0)
    assert outcome.status == "failed" and outcome.detail == driver.broken
    driver.stop()
    assert driver.name is None


@pytest.fixture
def mislabelled(http_connector_image) -> Iterator[str]:
    """The service image relabelled with a protocol Drawbridge does not speak."""
    tag = "drawbridge-mislabelled:test"
    dockerfile = (f"FROM {http_connector_image}\n"
                  "LABEL org.drawbridge.protocol=grpc\n")
    subprocess.run(["docker", "build", "--quiet", "--tag", tag, "-"], input=dockerfile,
                   text=True, capture_output=True, check=True, timeout=120,
                   env={"DOCKER_BUILDKIT": "0", "PATH": "/usr/local/bin:/usr/bin:/bin"})
    try:
        yield tag
    finally:
        subprocess.run(["docker", "image", "rm", "--force", tag], capture_output=True,
                       check=False, timeout=60)


@pytest.mark.docker
def test_an_unknown_protocol_label_is_bad_input(mislabelled):
    with pytest.raises(InputError) as raised:
        driver_factory(f"container:{mislabelled}")
    message = str(raised.value)
    assert "has label org.drawbridge.protocol='grpc'" in message
    assert "fix: label it org.drawbridge.protocol=command" in message
