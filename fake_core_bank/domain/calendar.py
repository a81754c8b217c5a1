"""The maintenance calendar: full outages and read-only windows on the virtual timeline."""

from __future__ import annotations

from datetime import datetime

from fake_core_bank.domain.model import MaintenanceWindow


class MaintenanceCalendar:
    def __init__(self) -> None:
        self.windows: list[MaintenanceWindow] = []

    def schedule(self, window: MaintenanceWindow) -> MaintenanceWindow:
        if window.end <= window.start:
            raise ValueError("a maintenance window must end after it starts")
        self.windows.append(window)
        self.windows.sort(key=lambda w: (w.start, w.window_id))
        return window

    def active(self, when: datetime) -> MaintenanceWindow | None:
        """The window covering ``when``; a FULL window wins over a READ_ONLY one."""
        covering = [w for w in self.windows if w.covers(when)]
        if not covering:
            return None
        return min(covering, key=lambda w: (w.mode != "FULL", w.end))

    def upcoming(self, when: datetime) -> list[MaintenanceWindow]:
        return [w for w in self.windows if w.end > when]

    def boundaries(self) -> list[datetime]:
        return [t for w in self.windows for t in (w.start, w.end)]
