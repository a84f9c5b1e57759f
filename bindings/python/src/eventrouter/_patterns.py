"""One-shot pattern checks."""

from __future__ import annotations

import json
from ctypes import byref, c_int, c_size_t, c_void_p
from typing import Any, Dict, Iterable, List, Mapping, Optional

from . import _native
from ._util import JSONInput, check, json_bytes
from .errors import InvalidArgumentError

__all__ = ["test_event_pattern", "validate_pattern", "explain", "examples", "pattern_edges", "overlap"]


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


def _json_result(function: Any, *arguments: Any) -> Any:
    """Calls a pattern tool of the C API and decodes the JSON text it returns."""
    err = _native.Error()
    out = c_void_p()
    length = c_size_t()
    check(function(byref(out), byref(length), *arguments, byref(err)), err)
    return json.loads(_native.take_string(out, length.value))


def _seed(seed: int) -> int:
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 1 << 64:
        raise InvalidArgumentError("seed must be an integer from 0 to 2**64 - 1", code="invalidArgument")
    return seed


def _count(value: int, what: str, maximum: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= maximum:
        raise InvalidArgumentError(f"{what} must be an integer from 0 to {maximum}", code="invalidArgument")
    return value


def explain(pattern: JSONInput, event: JSONInput) -> Dict[str, Any]:
    """Why ``event`` does or does not match ``pattern``, field by field.

    >>> why = explain({"detail": {"total": [{"numeric": [">", 100]}]}}, {"detail": {"total": "300"}})
    >>> why["match"], why["alternatives"][0]["fields"][0]["reason"]
    (False, 'numeric > 100: only JSON numbers match, and "300" is not one')

    Returns:
        ``{"match", "alternatives": [{"match", "fields": [{"path", "values", "satisfied",
        "matched_by", "reason"}], "array_conflict"}], "text"}`` — ``text`` is the same, for people.

    Raises:
        InvalidEventPatternError, InvalidJSONError.
    """
    pattern_data = json_bytes(pattern, "pattern")
    event_data = json_bytes(event, "event")
    return _json_result(_native.lib.evr_pattern_explain, pattern_data, len(pattern_data), event_data, len(event_data))


def examples(pattern: JSONInput, count: int = 10, *, seed: int = 1) -> List[Dict[str, Any]]:
    """Events that match ``pattern`` and near misses that do not (one condition broken each).

    Each item is ``{"event": {...}, "match": bool, "why": str}``; ``match`` is the matcher's verdict.
    The same ``seed`` gives the same events.

    >>> [e["match"] for e in examples({"source": ["shop"]}, 4)]
    [True, False, True, False]
    """
    pattern_data = json_bytes(pattern, "pattern")
    return _json_result(_native.lib.evr_pattern_examples, pattern_data, len(pattern_data), _count(count, "count", 10_000),
                        _seed(seed))


def pattern_edges(pattern: JSONInput, events: Optional[Iterable[Mapping[str, Any]]] = None, *, runs: int = 1000,
                  seed: int = 1) -> Dict[str, Any]:
    """Small changes to events that flip the pattern's verdict (``eventrouter fuzz-pattern``).

    Mutates ``events`` (default: 16 generated examples) at the fields the pattern reads — case,
    ``300`` vs ``300.0`` vs ``"300"``, array wrapping, dotted keys, spaces, accents, ``null``, missing
    fields, neighbouring numbers — and reports every mutation after which the verdict differs.

    >>> report = pattern_edges({"state": ["running"]}, [{"state": "running"}])
    >>> sorted({edge["mutation"] for edge in report["edges"]})[:3]
    ['case', 'empty-string', 'extend']

    Returns:
        ``{"edges": [{"path", "mutation", "from", "to", "before", "after", "note", "event"}],
        "summary": {"runs", "seed_events", "flips", "distinct_edges"}}``.
    """
    pattern_data = json_bytes(pattern, "pattern")
    events_data = None
    if events is not None:
        items = list(events)
        if not all(isinstance(item, Mapping) for item in items):
            raise InvalidArgumentError("events must be dicts (event objects)", code="invalidArgument")
        try:
            events_data = json.dumps(items, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
        except (TypeError, ValueError) as error:
            raise InvalidArgumentError(f"events cannot be written as JSON: {error}", code="invalidArgument") from None
    return _json_result(_native.lib.evr_pattern_edges, pattern_data, len(pattern_data), events_data,
                        0 if events_data is None else len(events_data), _count(runs, "runs", 1_000_000), _seed(seed))


def overlap(rules: Mapping[str, JSONInput], *, witnesses: int = 12, seed: int = 1) -> List[Dict[str, Any]]:
    """Pairs of rules where one contains the other, or some event matches both.

    >>> overlap({"all": {"source": ["shop"]}, "eu": {"source": ["shop"], "region": [{"prefix": "eu-"}]}})[0]["kind"]
    'contains'

    Args:
        rules: rule name -> pattern (a ``dict``, or its text).

    Returns:
        ``[{"kind": "contains"|"likely-contains", "outer", "inner", "witness"} |
        {"kind": "equivalent"|"intersects", "rules": [a, b], "witness"}]``, containment first.

    Raises:
        InvalidEventPatternError: naming the invalid rule.
    """
    encoded = {}
    for name, pattern in rules.items():
        encoded[name] = pattern.decode() if isinstance(pattern, bytes) else pattern
    data = json_bytes(encoded, "rules")
    return _json_result(_native.lib.evr_patterns_overlap, data, len(data), _count(witnesses, "witnesses", 1000), _seed(seed))
