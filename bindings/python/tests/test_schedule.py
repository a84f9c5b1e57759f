from __future__ import annotations

from datetime import datetime, timezone

import pytest

import eventrouter
from conftest import load_cases


def iso(times):
    return [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in times]


def test_next_fire_times_in_utc_and_in_a_zone():
    assert iso(eventrouter.next_fire_times("cron(0 18 ? * MON-FRI *)", "2025-01-30T22:47:30Z", 3)) == [
        "2025-01-31T18:00:00Z", "2025-02-03T18:00:00Z", "2025-02-04T18:00:00Z"]
    after = datetime(2025, 3, 8, tzinfo=timezone.utc)
    assert iso(eventrouter.next_fire_times("cron(30 2 * * ? *)", after, 2, time_zone="America/New_York")) == [
        "2025-03-08T07:30:00Z", "2025-03-10T06:30:00Z"]
    assert iso(eventrouter.next_fire_times("rate(5 minutes)", 0, 2)) == ["1970-01-01T00:05:00Z", "1970-01-01T00:10:00Z"]
    assert len(eventrouter.next_fire_times("at(2025-06-01T09:00:00)", after, 5)) == 1
    assert eventrouter.next_fire_times("rate(1 hour)", after, 0) == []
    assert len(eventrouter.next_fire_times("rate(1 hour)")) == 5          # after: now


def test_invalid_schedules():
    with pytest.raises(eventrouter.InvalidScheduleError) as info:
        eventrouter.validate_schedule("cron(71 8 1 * ? *)")
    assert info.value.message == "Minutes: 71 is out of range 0-59"
    assert info.value.code == "valueOutOfRange" and info.value.offset == 5
    with pytest.raises(eventrouter.InvalidScheduleError):
        eventrouter.validate_schedule("at(2025-06-01T09:00:00)")               # rules take rate/cron only
    eventrouter.validate_schedule("at(2025-06-01T09:00:00)", dialect="scheduler")
    with pytest.raises(eventrouter.InvalidScheduleError):
        eventrouter.next_fire_times("rate(1 hour)", "2025-01-01T00:00:00Z", time_zone="Mars/Olympus")
    with pytest.raises(eventrouter.InvalidScheduleError):
        eventrouter.next_fire_times("rate(1 hour)", "not a time")
    with pytest.raises(ValueError):
        eventrouter.validate_schedule("rate(1 hour)", dialect="cron")


def test_schedule_fixtures():
    cases = load_cases("schedules.jsonl")
    assert len(cases) == 240
    checked = 0
    for case in cases:
        expr = case["expr"][1]
        expect = case["expect"][1]
        try:
            eventrouter.validate_schedule(expr)
            valid = True
        except eventrouter.InvalidScheduleError:
            valid = False
        assert valid == expect["valid"], expr
        if valid and "next" in expect:
            assert iso(eventrouter.next_fire_times(expr, case["start"][1], case["n"][1])) == expect["next"], expr
            checked += 1
    assert checked > 50
    for case in load_cases("aws-observed-schedules.jsonl"):
        expr = case["expr"][1]
        try:
            eventrouter.validate_schedule(expr)
            valid = True
        except eventrouter.InvalidScheduleError:
            valid = False
        assert valid == case["expect"][1]["valid"], expr
