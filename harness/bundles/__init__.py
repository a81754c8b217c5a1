"""Reproduction bundles: every failed run as one self-contained, redacted file, and its replay.

- :func:`build_bundle` / :func:`write_bundle` / :func:`read_bundle` (``bundle.py``);
- :class:`BundleReporter`: writes a bundle per failed run of ``drawbridge run``;
- :func:`replay_path` / :func:`compare` (``replay.py``): run it again, same verdict and journal?
"""

from harness.bundles.bundle import build_bundle, read_bundle, write_bundle
from harness.bundles.replay import Comparison, compare, replay_path, rerun
from harness.bundles.reporter import BundleReporter, replay_command

__all__ = ["BundleReporter", "Comparison", "build_bundle", "compare", "read_bundle",
           "replay_command", "replay_path", "rerun", "write_bundle"]
