"""HTTP face of the fake bank: one ASGI app, thin per-version adapters and a control API."""
