"""Throughput and latency of every server in the line-up, interleaved over repeats.

Each repeat starts every server afresh, warms it up, then runs wrk on the GET and the POST with
the same settings for all; interleaving the servers spreads a noisy machine's bad moments over
all of them, so the ratios measured in one run hold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench import load, stubs
from bench.servers import Server


@dataclass
class Settings:
    duration: float = 10.0
    warmup: float = 3.0
    repeats: int = 3
    threads: int = 2
    connections: int = 32


@dataclass
class Figures:
    """What one server gave over all repeats."""

    get: list[load.LoadResult] = field(default_factory=list)
    post: list[load.LoadResult] = field(default_factory=list)
    started_in: list[float] = field(default_factory=list)
    rss_idle: list[int] = field(default_factory=list)
    rss_after: list[int] = field(default_factory=list)
    single_get: list[load.LoadResult] = field(default_factory=list)
    single_post: list[load.LoadResult] = field(default_factory=list)
    failure: str | None = None


def scripts(work: Path) -> tuple[Path, Path]:
    get_script, post_script = work / "get.lua", work / "post.lua"
    get_script.write_text(load.GET_SCRIPT)
    post_script.write_text(load.post_script(stubs.post_bytes()))
    return get_script, post_script


def run_lineup(servers: list[Server], work: Path, settings: Settings, wrk: str,
               say: Callable[[str], None], *, single_connection: set[str]) -> dict[str, Figures]:
    """All servers, ``settings.repeats`` times, interleaved. A server that fails is reported,
    not fatal: the others still run."""
    get_script, post_script = scripts(work)
    figures = {s.key: Figures() for s in servers}

    def hit(url: str, script: Path, seconds: float, threads: int, connections: int
            ) -> load.LoadResult:
        return load.run_wrk(url, duration=seconds, threads=threads, connections=connections,
                            script=script, wrk=wrk)

    for repeat in range(1, settings.repeats + 1):
        for server in servers:
            mine = figures[server.key]
            if mine.failure:
                continue
            say(f"  repeat {repeat}/{settings.repeats}: {server.label}")
            try:
                child = server.start(work)
            except (RuntimeError, OSError) as exc:
                mine.failure = str(exc)
                continue
            try:
                mine.started_in.append(child.started_in)
                mine.rss_idle.append(child.rss())
                base = child.base_url
                if settings.warmup > 0:
                    hit(base + stubs.GET_PATH, get_script, settings.warmup, settings.threads,
                        settings.connections)
                    hit(base + stubs.POST_PATH, post_script, settings.warmup, settings.threads,
                        settings.connections)
                mine.get.append(hit(base + stubs.GET_PATH, get_script, settings.duration,
                                    settings.threads, settings.connections))
                mine.post.append(hit(base + stubs.POST_PATH, post_script, settings.duration,
                                     settings.threads, settings.connections))
                mine.rss_after.append(child.rss())
                if server.key in single_connection:
                    seconds = max(1.0, settings.duration / 2)
                    mine.single_get.append(hit(base + stubs.GET_PATH, get_script, seconds, 1, 1))
                    mine.single_post.append(hit(base + stubs.POST_PATH, post_script, seconds,
                                                1, 1))
            except (RuntimeError, OSError) as exc:
                mine.failure = f"{server.label}: {exc}"
            finally:
                child.stop()
    return figures
