"""Artefacts are written atomically and never through a symbolic link (issue 15 item 10).

A link planted in the bundles or reports folder, under the name Drawbridge is about to write
(or under the old predictable temporary name), used to be followed: the bundle went wherever
the link pointed. Each writer now goes through ``harness.paths.write_atomic`` (a fresh
temporary file, renamed over the target) or, for line streams, opens with ``O_NOFOLLOW``.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from reliability_kit import ROOT, cli

from fake_core_bank.domain.journal import Journal
from harness.paths import open_new_stream, write_atomic

LOST = ROOT / "scenarios" / "fault" / "lost-response-after-commit.yaml"
LEGACY = "python:examples.connectors.legacy_v1:LegacyV1Connector"


def plant(folder: Path, name: str, victim: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / name
    link.symlink_to(victim)
    return link


def test_write_atomic_replaces_a_planted_link_and_leaves_its_target_alone(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    link = plant(tmp_path / "out", "results.json", victim)
    plant(tmp_path / "out", ".results.json.tmp", victim)  # the old predictable temporary name
    write_atomic(link, b'{"ok": true}\n')
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not link.is_symlink() and link.read_bytes() == b'{"ok": true}\n'
    assert oct(link.stat().st_mode & 0o777) == oct(0o644)
    assert [p.name for p in (tmp_path / "out").iterdir() if p.name.endswith(".tmp")] == \
        [".results.json.tmp"]  # no temporary file of ours is left behind


def test_streams_refuse_a_planted_link(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    for name in ("recording.jsonl", "journal.jsonl"):
        link = plant(tmp_path / "out", name, victim)
        with pytest.raises(OSError) as caught:
            if name == "journal.jsonl":
                Journal(link)
            else:
                open_new_stream(link)
        assert caught.value.errno == errno.ELOOP
    assert victim.read_text(encoding="utf-8") == "precious"


def test_run_never_writes_a_bundle_or_report_through_a_planted_link(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    out = tmp_path / "out"
    plant(out / "bundles", "lost-response-after-commit@v2.bundle.json", victim)
    plant(out, "results.json", victim)
    plant(out, "junit.xml", victim)
    done = cli("run", str(LOST), "--connector", LEGACY, "--versions", "v2", "--no-progress",
               "--out", str(out), timeout=300)
    assert done.returncode == 1, done.stderr  # the legacy connector fails on purpose
    assert victim.read_text(encoding="utf-8") == "precious"
    bundle = out / "bundles" / "lost-response-after-commit@v2.bundle.json"
    assert not bundle.is_symlink() and b'"verdict": "fail"' in bundle.read_bytes()
    assert not (out / "results.json").is_symlink()
