"""Drawbridge harness: scenarios, connector drivers, oracles, reports, CLI and pytest plugin."""

from fake_core_bank import __version__

__all__ = ["__version__"]
