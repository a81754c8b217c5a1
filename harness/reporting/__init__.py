"""Reporters: one consumer of engine events per file (console, JSON, JUnit, ...)."""
