"""One exception hierarchy mapping the C status codes, checked against the header."""

from __future__ import annotations

import re

import pytest

import eventrouter
from eventrouter import errors
from conftest import HEADER

EXPECTED = {
    "EVR_E_ARGUMENT": eventrouter.InvalidArgumentError,
    "EVR_E_UTF8": eventrouter.InvalidUTF8Error,
    "EVR_E_HANDLE": eventrouter.InvalidHandleError,
    "EVR_E_JSON": eventrouter.InvalidJSONError,
    "EVR_E_PATTERN": eventrouter.InvalidEventPatternError,
    "EVR_E_NOT_FOUND": eventrouter.ResourceNotFoundError,
    "EVR_E_ALREADY_EXISTS": eventrouter.ResourceAlreadyExistsError,
    "EVR_E_VALIDATION": eventrouter.ValidationError,
    "EVR_E_LIMIT": eventrouter.LimitExceededError,
    "EVR_E_SCHEDULE": eventrouter.InvalidScheduleError,
    "EVR_E_API": eventrouter.ApiError,
    "EVR_E_BUSY": eventrouter.BusyError,
    "EVR_E_INTERNAL": eventrouter.InternalError,
}


def header_statuses():
    text = HEADER.read_text()
    enum = text[text.index("typedef enum evr_status"):text.index("} evr_status;")]
    return {name: int(value) for name, value in re.findall(r"(EVR_E_[A-Z0-9_]+) = (-?\d+)", enum)}


def test_every_status_of_the_header_has_its_exception():
    statuses = header_statuses()
    assert set(statuses) == set(EXPECTED)
    for name, value in statuses.items():
        cls = EXPECTED[name]
        assert cls.status == value, name
        assert issubclass(cls, eventrouter.EventRouterError)
        error = errors.error_for_status(value, "m", "c", 3)
        assert type(error) is cls and error.message == "m" and error.code == "c" and error.offset == 3


def test_unknown_status_still_raises_the_base_class():
    error = errors.error_for_status(-99, "future")
    assert type(error) is eventrouter.EventRouterError and error.status == -99


def test_value_errors_are_value_errors():
    for cls in (eventrouter.InvalidEventPatternError, eventrouter.InvalidJSONError, eventrouter.ValidationError,
                eventrouter.InvalidScheduleError, eventrouter.InvalidArgumentError, eventrouter.InvalidUTF8Error):
        assert issubclass(cls, ValueError)
    assert issubclass(eventrouter.ResourceNotFoundError, LookupError)


def test_each_error_is_raised_by_the_library(router):
    """Every status that a caller can provoke, provoked through the Python API."""
    rules = eventrouter.RuleSet(max_event_bytes=32)
    raised = {}

    def expect(cls, action):
        with pytest.raises(cls) as info:
            action()
        assert info.value.status == cls.status
        assert info.value.message
        raised[cls] = info.value

    expect(eventrouter.InvalidArgumentError, lambda: rules.add("", {"a": [1]}))
    expect(eventrouter.InvalidUTF8Error, lambda: rules.match(b'{"\xc3": 1}'))
    expect(eventrouter.InvalidJSONError, lambda: rules.match("{"))
    expect(eventrouter.InvalidEventPatternError, lambda: rules.add("p", {"a": 1}))
    expect(eventrouter.ResourceNotFoundError, lambda: rules.remove("missing"))
    expect(eventrouter.LimitExceededError, lambda: rules.match({"long": "x" * 64}))
    expect(eventrouter.InvalidScheduleError, lambda: eventrouter.validate_schedule("rate(1 hours)"))
    expect(eventrouter.ResourceAlreadyExistsError, lambda: [router.create_event_bus(Name="x") for _ in range(2)])
    expect(eventrouter.ValidationError, lambda: router.put_rule(Name="r"))
    expect(eventrouter.ApiError, lambda: router.call("nope", "Nothing"))
    rules.close()
    expect(eventrouter.InvalidHandleError, lambda: rules.add("a", {"a": [1]}))
    assert raised[eventrouter.InvalidEventPatternError].code == "invalidPattern"
    assert raised[eventrouter.InvalidUTF8Error].offset == 2


def test_exceptions_carry_aws_messages():
    with pytest.raises(eventrouter.InvalidEventPatternError) as info:
        eventrouter.test_event_pattern({"detail": {"n": [{"numeric": [">", "x"]}]}}, {})
    assert str(info.value).startswith("Event pattern is not valid. Reason: ")
    assert repr(info.value).startswith("InvalidEventPatternError(")
