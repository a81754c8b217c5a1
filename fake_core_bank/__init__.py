"""A stateful, deterministic fake of a bank's core lending system.

Layers (see ARCHITECTURE.md): ``domain`` is pure and clock-injected; ``contracts`` loads and
compiles the OpenAPI documents; ``http`` holds the thin per-version adapters and the control API
on one ASGI app; ``server`` runs that app on loopback.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
