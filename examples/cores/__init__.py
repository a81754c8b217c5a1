"""Example core models: banks' own core APIs modelled for Drawbridge (docs/core-models.md)."""
