"""The exception hierarchy: one class per C status code, all under :class:`EventRouterError`."""

from __future__ import annotations

from typing import Optional

__all__ = [
    "EventRouterError",
    "InvalidArgumentError",
    "InvalidUTF8Error",
    "InvalidHandleError",
    "InvalidJSONError",
    "InvalidEventPatternError",
    "ResourceNotFoundError",
    "ResourceAlreadyExistsError",
    "ValidationError",
    "LimitExceededError",
    "InvalidScheduleError",
    "ApiError",
    "BusyError",
    "InternalError",
    "error_for_status",
]


class EventRouterError(Exception):
    """Base class of every error raised by ``eventrouter``.

    Attributes:
        status: the C API's ``evr_status`` (negative).
        code: a machine-readable code: AWS's error code for router calls
            (``"ResourceNotFoundException"``), otherwise the library's kind (``"invalidPattern"``).
        message: the human-readable message (for invalid patterns, AWS's exact text).
        offset: the byte offset of the problem in the input, or ``None``.
    """

    status: int = 0

    def __init__(self, message: str, *, code: str = "", offset: Optional[int] = None, status: Optional[int] = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.offset = offset
        if status is not None:
            self.status = status

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.code!r})"


class InvalidArgumentError(EventRouterError, ValueError):
    """EVR_E_ARGUMENT: a missing value, an impossible length, a value out of range."""

    status = -1


class InvalidUTF8Error(EventRouterError, ValueError):
    """EVR_E_UTF8: text that is not valid UTF-8 (``offset`` is the first bad byte)."""

    status = -2


class InvalidHandleError(EventRouterError):
    """EVR_E_HANDLE: the object was closed (or its handle is otherwise unknown)."""

    status = -3


class InvalidJSONError(EventRouterError, ValueError):
    """EVR_E_JSON: malformed JSON, or an event that is not a JSON object."""

    status = -4


class InvalidEventPatternError(EventRouterError, ValueError):
    """EVR_E_PATTERN: an invalid event pattern; the message is AWS's
    (``Event pattern is not valid. Reason: ...``)."""

    status = -5


class ResourceNotFoundError(EventRouterError, LookupError):
    """EVR_E_NOT_FOUND: no such rule in a rule set, or a router resource that does not exist."""

    status = -6


class ResourceAlreadyExistsError(EventRouterError):
    """EVR_E_ALREADY_EXISTS: ResourceAlreadyExistsException."""

    status = -7


class ValidationError(EventRouterError, ValueError):
    """EVR_E_VALIDATION: router parameters failed AWS's validation (ValidationException, ...)."""

    status = -8


class LimitExceededError(EventRouterError):
    """EVR_E_LIMIT: an event too large or too deep; LimitExceededException."""

    status = -9


class InvalidScheduleError(EventRouterError, ValueError):
    """EVR_E_SCHEDULE: an invalid schedule expression, time zone or timestamp."""

    status = -10


class ApiError(EventRouterError):
    """EVR_E_API: another error of the AWS-shaped API; ``code`` says which."""

    status = -11


class BusyError(EventRouterError):
    """EVR_E_BUSY: a :class:`~eventrouter.Matcher` used by two threads at once."""

    status = -12


class InternalError(EventRouterError):
    """EVR_E_INTERNAL: a bug in the library."""

    status = -13


_BY_STATUS = {cls.status: cls for cls in (
    InvalidArgumentError, InvalidUTF8Error, InvalidHandleError, InvalidJSONError, InvalidEventPatternError,
    ResourceNotFoundError, ResourceAlreadyExistsError, ValidationError, LimitExceededError, InvalidScheduleError,
    ApiError, BusyError, InternalError,
)}


def error_for_status(status: int, message: str, code: str = "", offset: Optional[int] = None) -> EventRouterError:
    """The exception for a C status code (an unknown negative status gives :class:`EventRouterError`)."""
    cls = _BY_STATUS.get(status)
    if cls is None:
        return EventRouterError(message, code=code, offset=offset, status=status)
    return cls(message, code=code, offset=offset)
