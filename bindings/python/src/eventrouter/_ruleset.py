"""Rule sets and matchers."""

from __future__ import annotations

import ctypes
from ctypes import byref, c_size_t, c_void_p
from typing import Any, List, Optional

from . import _native
from ._util import JSONInput, NativeHandle, check, json_bytes, text_bytes

__all__ = ["RuleSet", "Matcher"]


_COUNT_ONLY = _native.MATCH_FN()   # a NULL callback


@_native.MATCH_FN
def _collect(name: int, length: int, results: list) -> int:
    # Runs inside evr_ruleset_match with the GIL re-acquired; `results` is the caller's list.
    results.append(ctypes.string_at(name, length))
    return 0


class RuleSet(NativeHandle):
    """Named event patterns matched against events in one pass per event.

    >>> with RuleSet() as rules:
    ...     rules.add("ec2", {"source": ["aws.ec2"]})
    ...     rules.add("big", {"detail": {"size": [{"numeric": [">", 100]}]}})
    ...     rules.match({"source": "aws.ec2", "detail": {"size": 700}})
    ['ec2', 'big']

    Thread safety: every method may be called from any thread; matching runs outside the GIL
    while other threads add and remove rules, and always sees a complete rule set.

    Args:
        max_event_bytes: the largest event accepted (default 1 MiB).
        max_event_depth: the deepest nesting accepted in events (default 128).
        canonical_events: promise well-formed events without repeated keys, so that matching may
            stop reading once every field that rules use was seen.
    """

    _free = "evr_ruleset_free"

    def __init__(self, *, max_event_bytes: int = 0, max_event_depth: int = 0, canonical_events: bool = False) -> None:
        options = _native.RulesetOptions(_native.RULESET_OPTIONS_VERSION, max_event_bytes, max_event_depth,
                                         int(canonical_events), 0)
        err = _native.Error()
        handle = c_void_p()
        check(_native.lib.evr_ruleset_new(byref(handle), byref(options), byref(err)), err)
        self._handle = handle
        self._names: dict[bytes, str] = {}

    # -- lifetime ---------------------------------------------------------------------------


    # -- rules ------------------------------------------------------------------------------

    def add(self, name: str, pattern: JSONInput) -> None:
        """Adds ``pattern`` under ``name``; a second pattern under one name is an alternative (OR).

        Args:
            name: any non-empty text without NUL characters.
            pattern: a ``dict``, or the raw pattern text (``str``/``bytes``).

        Raises:
            InvalidEventPatternError: with AWS's message; the set is unchanged.
        """
        name_data = text_bytes(name, "name")
        pattern_data = json_bytes(pattern, "pattern")
        err = _native.Error()
        check(_native.lib.evr_ruleset_add(self._handle, name_data, len(name_data), pattern_data, len(pattern_data),
                                          byref(err)), err)

    def remove(self, name: str) -> None:
        """Removes every pattern of rule ``name``.

        Raises:
            ResourceNotFoundError: no rule has that name.
        """
        name_data = text_bytes(name, "name")
        err = _native.Error()
        check(_native.lib.evr_ruleset_remove(self._handle, name_data, len(name_data), byref(err)), err)

    def __len__(self) -> int:
        err = _native.Error()
        count = c_size_t()
        check(_native.lib.evr_ruleset_count(byref(count), self._handle, byref(err)), err)
        return count.value

    # -- matching ---------------------------------------------------------------------------

    def match(self, event: JSONInput) -> List[str]:
        """The names of the rules matching ``event``, in the order the rules were first added.

        Args:
            event: a ``dict``, or JSON text as ``str``/``bytes`` (bytes are used without copying
                into a new encoding: the fastest form).

        Raises:
            InvalidJSONError: the event is not a JSON object.
            LimitExceededError: the event is larger or deeper than the limits.
        """
        data = json_bytes(event, "event")
        err = _native.Error()
        found: list = []
        count = c_size_t()
        check(_native.lib.evr_ruleset_match(byref(count), self._handle, data, len(data), _collect, found, byref(err)), err)
        return [self._name(raw) for raw in found]

    def count_matches(self, event: JSONInput) -> int:
        """How many rules match ``event`` (without building the list)."""
        data = json_bytes(event, "event")
        err = _native.Error()
        count = c_size_t()
        check(_native.lib.evr_ruleset_match(byref(count), self._handle, data, len(data), _COUNT_ONLY, None, byref(err)), err)
        return count.value

    def matcher(self) -> "Matcher":
        """A :class:`Matcher` for one thread: the fastest way to match many events."""
        return Matcher(self)

    def _name(self, raw: bytes) -> str:
        name = self._names.get(raw)
        if name is None:
            name = raw.decode("utf-8")
            if len(self._names) > 100_000:   # bounded, for sets whose rules keep changing
                self._names.clear()
            self._names[raw] = name
        return name


class Matcher(NativeHandle):
    """A per-thread matching handle of a :class:`RuleSet` (its scratch state is reused, so
    matching allocates nothing in the C library). It sees rule changes on its next match and keeps
    the rule set's rules alive after the set is closed.

    Thread safety: use one per thread; concurrent use raises :class:`BusyError`.
    """

    _free = "evr_matcher_free"

    def __init__(self, rules: RuleSet) -> None:
        err = _native.Error()
        handle = c_void_p()
        check(_native.lib.evr_matcher_new(byref(handle), rules._handle, byref(err)), err)
        self._handle = handle
        self._rules = rules

    def match(self, event: JSONInput) -> List[str]:
        """As :meth:`RuleSet.match`."""
        data = json_bytes(event, "event")
        err = _native.Error()
        count = c_size_t()
        lib = _native.lib
        check(lib.evr_matcher_match(byref(count), self._handle, data, len(data), byref(err)), err)
        names = []
        pointer = c_void_p()
        length = c_size_t()
        for index in range(count.value):
            check(lib.evr_matcher_result(byref(pointer), byref(length), self._handle, index, byref(err)), err)
            names.append(self._rules._name(ctypes.string_at(pointer.value, length.value)))
        return names

