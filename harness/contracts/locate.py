"""Where a changed thing is written: ``file:line:column`` in the old and in the new document.

The YAML loader records where every mapping, list and mapping key starts
(:class:`harness.contracts.loading.Positions`); references are resolved to the very objects
they point at, so one object has one position, in the file that defines it, however many
operations reach it. That is also what makes one edit of a shared schema one finding.
"""

from __future__ import annotations

from typing import Any

from harness.contracts.refs import RefResolver


class Locator:
    """Looks objects up in the position indexes of the documents' resolvers."""

    def __init__(self, *resolvers: RefResolver | None) -> None:
        self._resolvers = [r for r in resolvers if r is not None]

    def at(self, node: Any, key: str | None = None) -> str:
        """``file:line:column`` of ``node`` (of its mapping ``key`` when given), else ""."""
        if not isinstance(node, dict | list):
            return ""
        for resolver in self._resolvers:
            found = resolver.where(node, key)
            if found:
                return found
        return ""

    def key_or_node(self, node: Any, key: str) -> str:
        """Where ``key`` is written in mapping ``node``; where ``node`` is when it has none."""
        return self.at(node, key) or self.at(node)
