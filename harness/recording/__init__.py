"""Recordings of a connector's traffic with a bank, and scenarios made from them.

- :class:`RecordingServer` / :class:`RecordingProxy` (``proxy.py``): a reverse proxy that
  forwards to an upstream and records redacted exchanges (``drawbridge record``);
- ``store.py``: the recording format (JSON lines) and HAR import;
- :func:`scenario_from_recording` (``infer.py``): world, timeline and expectations inferred
  from the exchanges (``drawbridge scenario from-recording``);
- ``redact.py``: credentials out, identifiers replaced by consistent pseudonyms.
"""

from harness.recording.infer import scenario_from_recording
from harness.recording.proxy import RecordingProxy, RecordingServer
from harness.recording.redact import RedactionRules, Redactor
from harness.recording.store import Exchange, read_recording

__all__ = ["Exchange", "RecordingProxy", "RecordingServer", "RedactionRules", "Redactor",
           "read_recording", "scenario_from_recording"]
