"""Tools and peers installed on demand, outside the repository.

wrk comes from the distribution (apt-get, as root); WireMock (its npm package carries the jar),
Prism and mountebank from npm into ``~/.cache/drawbridge-bench/npm``. Nothing here is committed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

CACHE = Path(os.environ.get("DRAWBRIDGE_BENCH_CACHE",
                            Path.home() / ".cache" / "drawbridge-bench"))
NPM_PACKAGES = {"prism": "@stoplight/prism-cli@5", "mountebank": "mountebank@2",
                "wiremock": "wiremock@3"}
PACKAGE_DIRS = {"prism": "@stoplight/prism-cli", "mountebank": "mountebank",
                "wiremock": "wiremock"}


class InstallError(RuntimeError):
    """A tool or peer could not be installed; the message says what to install by hand."""


@dataclass(frozen=True)
class Peers:
    """Where the installed peers are, and their versions."""

    prism_bin: Path
    mountebank_bin: Path
    wiremock_jar: Path
    versions: dict[str, str]


def ensure_wrk() -> str:
    """The wrk binary, installed with apt-get when missing (needs root)."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        raise InstallError("wrk is not installed: install it (apt-get install wrk) and rerun")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, check=True,
                   capture_output=True, timeout=600)
    found = shutil.which("wrk")
    if not found:
        raise InstallError("apt-get installed no wrk binary")
    return found


def ensure_peers(log: Path) -> Peers:
    """Install the npm peers under the cache once; check Java for WireMock."""
    root = CACHE / "npm"
    modules = root / "node_modules"
    missing = [spec for key, spec in NPM_PACKAGES.items()
               if not (modules / PACKAGE_DIRS[key] / "package.json").is_file()]
    if missing:
        if shutil.which("npm") is None:
            raise InstallError("npm is not installed: the peers need Node.js and npm")
        root.mkdir(parents=True, exist_ok=True)
        with log.open("ab") as out:
            subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(root),
                            *missing], stdout=out, stderr=subprocess.STDOUT, check=True,
                           timeout=900)
    if shutil.which("java") is None:
        raise InstallError("java is not installed: WireMock's jar needs a JRE 11+")
    versions = {key: json.loads((modules / d / "package.json").read_text())["version"]
                for key, d in PACKAGE_DIRS.items()}
    jars = sorted((modules / "wiremock" / "build").glob("wiremock-standalone-*.jar"))
    if not jars:
        raise InstallError(f"no WireMock jar under {modules / 'wiremock' / 'build'}")
    return Peers(modules / ".bin" / "prism", modules / ".bin" / "mb", jars[-1], versions)


def java_version() -> str:
    done = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=30,
                          check=False)
    return (done.stderr or done.stdout).splitlines()[0] if (done.stderr or done.stdout) else "?"
