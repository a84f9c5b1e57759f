"""Schedule expressions."""

from __future__ import annotations

import time
from ctypes import byref, c_int64, c_size_t
from datetime import datetime
from typing import List, Optional

from . import _native
from ._util import TimeInput, check, from_epoch, text_bytes, to_epoch

__all__ = ["next_fire_times", "validate_schedule"]


def next_fire_times(expression: str, after: Optional[TimeInput] = None, count: int = 5,
                    time_zone: Optional[str] = None) -> List[datetime]:
    """The next ``count`` fire times of a schedule expression strictly after ``after``.

    >>> [t.isoformat() for t in next_fire_times("cron(0 10 * * ? *)", "2025-01-30T22:47:30Z", 2)]
    ['2025-01-31T10:00:00+00:00', '2025-02-01T10:00:00+00:00']

    Args:
        expression: ``rate(...)``, ``cron(...)`` or ``at(...)`` (EventBridge Scheduler's grammar).
        after: a datetime (naive means UTC), an ISO-8601 string or seconds since 1970; default now.
        count: at most this many times (fewer when the schedule stops firing).
        time_zone: an IANA zone in which cron and at are read (default UTC).

    Returns:
        Aware UTC datetimes.

    Raises:
        InvalidScheduleError: an invalid expression or unknown zone.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    start = to_epoch(after, "after") if after is not None else int(time.time())
    data = text_bytes(expression, "expression")
    zone = text_bytes(time_zone, "time_zone") if time_zone is not None else None
    times = (c_int64 * max(count, 1))()
    written = c_size_t()
    err = _native.Error()
    check(_native.lib.evr_schedule_next(times, byref(written), data, len(data), start, count, zone,
                                        len(zone) if zone is not None else 0, byref(err)), err)
    return [from_epoch(times[i]) for i in range(written.value)]


def validate_schedule(expression: str, *, dialect: str = "rule") -> None:
    """Checks a schedule expression.

    Args:
        dialect: ``"rule"`` (EventBridge scheduled rules: rate and cron) or ``"scheduler"``
            (EventBridge Scheduler: also at).

    Raises:
        InvalidScheduleError: saying which field is wrong, e.g. ``Minutes: 71 is out of range 0-59``
            (AWS itself only says ``Parameter ScheduleExpression is not valid.``).
    """
    dialects = {"rule": _native.SCHEDULE_RULE, "scheduler": _native.SCHEDULE_SCHEDULER}
    if dialect not in dialects:
        raise ValueError(f"dialect must be 'rule' or 'scheduler', not {dialect!r}")
    data = text_bytes(expression, "expression")
    err = _native.Error()
    check(_native.lib.evr_schedule_validate(data, len(data), dialects[dialect], byref(err)), err)
