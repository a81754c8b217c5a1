"""The engine: set up the fake bank from a scenario, play its timeline, collect evidence, judge."""
