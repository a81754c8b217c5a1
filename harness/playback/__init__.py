"""In-process playback for connectors built on ``requests``: no sockets, no server.

- :func:`mount` serves a fake bank through ``responses`` (a context manager yielding the base
  URL), so a connector's own unit tests run against it;
- :func:`mount_recording` answers from a recording, in order;
- :class:`ResponsesBank` is an engine bank handle in this mode, so every scenario runs in it
  (``run_plan(..., bank_factory=ResponsesBank)``);
- :func:`harness.playback.measure.per_exchange` times one exchange per mode (for ``make bench``).
"""

from harness.playback.bank import ResponsesBank
from harness.playback.mount import mount, mount_handler
from harness.playback.recorded import mount_recording

__all__ = ["ResponsesBank", "mount", "mount_handler", "mount_recording"]
