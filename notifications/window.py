"""The sending window: messages go out only between the configured hours in the recipient's
own time zone. Pure functions of an instant and a zone name."""

import datetime

from django.conf import settings

from accounts.models import zone_or_default


def window_hours() -> tuple[int, int]:
    return settings.NOTIFICATIONS_WINDOW_START_HOUR, settings.NOTIFICATIONS_WINDOW_END_HOUR


def is_open(time_zone: str | None, now: datetime.datetime) -> bool:
    """True when ``now`` falls in [start, end) hours local to ``time_zone`` (empty: the site's).
    A window with start == 0 and end == 24 is always open."""
    start, end = window_hours()
    hour = now.astimezone(zone_or_default(time_zone)).hour
    if start <= end:
        return start <= hour < end
    # A window across midnight, such as 22 to 6.
    return hour >= start or hour < end


class WindowCache:
    """``is_open`` memoised per zone name for one instant, for a sweep over many people."""

    def __init__(self, now: datetime.datetime):
        self.now = now
        self._open: dict[str, bool] = {}

    def is_open(self, time_zone: str | None) -> bool:
        key = time_zone or ""
        value = self._open.get(key)
        if value is None:
            value = self._open[key] = is_open(key, self.now)
        return value
