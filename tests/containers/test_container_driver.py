"""``--connector container:IMAGE``: identity, operations, and no container outliving its run."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fake_core_bank.errors import InputError
from fake_core_bank.fake import BankConfig
from harness.drivers import driver_factory
from harness.drivers.container import ContainerDriver
from harness.engine.bank import LocalBank
from harness.paths import scenarios_root


def containers_named(name: str) -> list[str]:
    listing = subprocess.run(["docker", "ps", "--all", "--quiet", "--filter", f"name={name}"],
                             capture_output=True, text=True, check=True)
    return listing.stdout.split()


def wait_until_running(name: str) -> None:
    """`docker run` creates the container a moment after the client starts."""
    deadline = time.monotonic() + 30
    while not containers_named(name):
        if time.monotonic() > deadline:
            pytest.fail(f"container {name} never appeared")
        time.sleep(0.1)


@pytest.mark.parametrize(("spec", "says"), [
    ("container:", "names no image"),
    ("container:--privileged", "not an image reference"),
    ("container:my image", "not an image reference"),
])
def test_a_malformed_image_is_refused_before_docker_runs(spec, says):
    with pytest.raises(InputError, match=says) as raised:
        driver_factory(spec)
    assert str(raised.value).startswith("--connector: ")
    assert "fix: write container:" in str(raised.value)


#: each kind of connector image: the fixture that builds it and the name its connector reports
IMAGES = pytest.mark.parametrize(("image_fixture", "name"), [
    ("connector_image", "reference-python"),  # command protocol (no label)
    ("http_connector_image", "reference-http"),  # org.drawbridge.protocol=http
])


@pytest.mark.docker
@IMAGES
def test_the_image_reports_its_identity(request, image_fixture, name):
    image = request.getfixturevalue(image_fixture)
    _, identity = driver_factory(f"container:{image}")
    assert (identity.name, identity.version, identity.contracts) == (
        name, "1.0.0", ("v2", "v3"))
    assert identity.spec == f"container:{image}"


@pytest.mark.docker
@IMAGES
def test_the_container_reaches_the_bank_on_the_hosts_loopback(request, image_fixture, name):
    make, _ = driver_factory(f"container:{request.getfixturevalue(image_fixture)}")
    bank = LocalBank(BankConfig(seed=3, customers=1, versions=("v2",)))
    try:
        line = bank.snapshot()["lines"][0]
        driver = make()
        driver.start(bank.base_url, "v2")
        container = driver.name
        try:
            assert containers_named(container)
            outcome = driver.perform({"op": "get-line", "line": line["lineId"]}, 30.0)
        finally:
            driver.stop()
    finally:
        bank.close()
    assert outcome.status == "succeeded", outcome.describe()
    assert outcome.data["data"]["limit"] == line["limit"]
    assert containers_named(container) == []  # gone with the run


@pytest.mark.docker
def test_a_hung_connector_times_out_and_its_container_is_removed(connector_image):
    class Hanging(ContainerDriver):
        """The connector image with a process that never reads stdin nor answers."""

        def argv(self, name: str) -> list[str]:
            return ["docker", "run", "--rm", "-i", "--network", "host", "--name", name,
                    "--entrypoint", "sleep", self.image, "600"]

    driver = Hanging(connector_image, f"container:{connector_image}")
    driver.start("http://127.0.0.1:9", "v2")
    name = driver.name
    wait_until_running(name)
    try:
        outcome = driver.perform({"op": "get-line", "line": "CL000001"}, 1.5)
        assert outcome.status == "failed"
        assert outcome.detail.startswith("timeout")
        assert containers_named(name) == []  # removed at the timeout, not left hanging
    finally:
        driver.stop()
    assert containers_named(name) == []


@pytest.mark.docker
def test_stop_removes_a_container_that_ignores_end_of_input(connector_image):
    class Stubborn(ContainerDriver):
        def argv(self, name: str) -> list[str]:
            return ["docker", "run", "--rm", "-i", "--network", "host", "--name", name,
                    "--entrypoint", "sleep", self.image, "600"]

    driver = Stubborn(connector_image, f"container:{connector_image}")
    driver.start("http://127.0.0.1:9", "v2")
    name = driver.name
    wait_until_running(name)
    driver.stop()
    assert containers_named(name) == []


@pytest.mark.docker
def test_an_image_neither_local_nor_pullable_is_bad_input(connector_image):
    with pytest.raises(InputError, match="drawbridge-no-such-image:never"):
        driver_factory("container:drawbridge-no-such-image:never")


@pytest.mark.docker
def test_drawbridge_run_certifies_an_image_with_one_command(connector_image, tmp_path):
    """The README's vendor command: `drawbridge run --connector container:IMAGE`."""
    scenario = scenarios_root() / "line-state" / "frozen-line.yaml"
    done = subprocess.run(
        [str(Path(sys.executable).parent / "drawbridge"), "run", str(scenario),
         "--connector", f"container:{connector_image}", "--versions", "v2",
         "--no-progress", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert [(r["scenario"], r["version"], r["verdict"]) for r in report["results"]] == [
        ("frozen-line", "v2", "pass")]
    assert report["results"][0]["connector"]["name"] == "reference-python"


@pytest.mark.docker
def test_drawbridge_run_without_the_image_exits_2_with_one_line(connector_image, tmp_path):
    done = subprocess.run(
        [str(Path(sys.executable).parent / "drawbridge"), "run",
         "--connector", "container:drawbridge-no-such-image:never", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "image 'drawbridge-no-such-image:never'" in done.stderr + done.stdout


@pytest.mark.docker
def test_drawbridge_certify_takes_an_image(connector_image, tmp_path):
    """`drawbridge certify --connector container:IMAGE --profile ...` gives a certificate."""
    profile = tmp_path / "mini.yaml"
    profile.write_text("format: drawbridge/profile@1\nid: mini\ntitle: Two v2 scenarios\n"
                       "version: v2\nmust: [frozen-line]\nshould: [bank-side-activation]\n",
                       encoding="utf-8")
    out = tmp_path / "cert"
    done = subprocess.run(
        [str(Path(sys.executable).parent / "drawbridge"), "certify",
         "--connector", f"container:{connector_image}", "--profile", str(profile),
         "--out", str(out), "--no-history"],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "gate: PASSED" in done.stdout
    certificate = json.loads((out / "certificate.json").read_text(encoding="utf-8"))
    assert f"container:{connector_image}" in json.dumps(certificate)
