"""Connectors for the gateway core: ``reference`` (both releases) and ``legacy`` (release r1)."""
