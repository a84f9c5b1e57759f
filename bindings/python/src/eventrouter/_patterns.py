"""One-shot pattern checks."""

from __future__ import annotations

from ctypes import byref, c_int

from . import _native
from ._util import JSONInput, check, json_bytes

__all__ = ["test_event_pattern", "validate_pattern"]


def test_event_pattern(pattern: JSONInput, event: JSONInput) -> bool:
    """Whether ``event`` matches ``pattern`` (what EventBridge's TestEventPattern answers).

    >>> test_event_pattern({"source": [{"prefix": "aws."}]}, {"source": "aws.ec2"})
    True

    Args:
        pattern: a ``dict`` (written as JSON), or the raw pattern text as ``str``/``bytes``,
            exactly as EventBridge would receive it.
        event: a ``dict``, or JSON text as ``str``/``bytes`` (the full envelope is not needed).

    Raises:
        InvalidEventPatternError: the pattern is invalid; the message is AWS's.
        InvalidJSONError: the event is not a JSON object.
    """
    pattern_data = json_bytes(pattern, "pattern")
    event_data = json_bytes(event, "event")
    err = _native.Error()
    match = c_int(0)
    check(_native.lib.evr_pattern_test(byref(match), pattern_data, len(pattern_data), event_data, len(event_data),
                                       byref(err)), err)
    return bool(match.value)


# Not a test function, whatever pytest's collector thinks of its name.
test_event_pattern.__test__ = False  # type: ignore[attr-defined]


def validate_pattern(pattern: JSONInput) -> None:
    """Checks an event pattern.

    >>> validate_pattern({"source": "aws.ec2"})
    Traceback (most recent call last):
    ...
    eventrouter.errors.InvalidEventPatternError: Event pattern is not valid. Reason: "source" must be an object or an array

    Raises:
        InvalidEventPatternError: with AWS's message and, for malformed JSON, the byte ``offset``.
    """
    data = json_bytes(pattern, "pattern")
    err = _native.Error()
    check(_native.lib.evr_pattern_validate(data, len(data), byref(err)), err)
