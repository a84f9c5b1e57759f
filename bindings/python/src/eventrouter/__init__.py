"""EventRouter for Python: Amazon EventBridge in a process.

The whole event-pattern language (validated with AWS's own error messages) compiled into rule sets
that match an event against any number of rules in one pass; event buses with rules, targets,
retries and dead-letter queues on a manual clock; schedule expressions. A thin, typed layer over
the C library ``libeventrouter.so``, which the package carries.

>>> import eventrouter
>>> eventrouter.test_event_pattern({"source": ["shop"]}, {"source": "shop"})
True
"""

from __future__ import annotations

from . import _native
from ._patterns import examples, explain, overlap, pattern_edges, test_event_pattern, validate_pattern
from ._router import DEFAULT_ACCOUNT, DEFAULT_REGION, Delivery, DeliveryFailed, Router
from ._ruleset import Matcher, RuleSet
from ._schedule import next_fire_times, validate_schedule
from .errors import (
    ApiError,
    BusyError,
    EventRouterError,
    InternalError,
    InvalidArgumentError,
    InvalidEventPatternError,
    InvalidHandleError,
    InvalidJSONError,
    InvalidScheduleError,
    InvalidUTF8Error,
    LimitExceededError,
    ResourceAlreadyExistsError,
    ResourceNotFoundError,
    ValidationError,
)

__version__ = "0.1.0"

#: The version of the loaded C library ("MAJOR.MINOR.PATCH").
library_version: str = _native.lib.evr_version(None, None, None).decode()

__all__ = [
    "RuleSet", "Matcher", "Router", "Delivery", "DeliveryFailed",
    "test_event_pattern", "validate_pattern", "explain", "examples", "pattern_edges", "overlap", "next_fire_times", "validate_schedule",
    "EventRouterError", "InvalidArgumentError", "InvalidUTF8Error", "InvalidHandleError", "InvalidJSONError",
    "InvalidEventPatternError", "ResourceNotFoundError", "ResourceAlreadyExistsError", "ValidationError",
    "LimitExceededError", "InvalidScheduleError", "ApiError", "BusyError", "InternalError",
    "DEFAULT_ACCOUNT", "DEFAULT_REGION", "library_version", "__version__",
]
