"""Shared helpers: status checking and argument conversion."""

from __future__ import annotations

import json
from ctypes import byref
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping, Union

from . import _native
from .errors import InvalidArgumentError, error_for_status

#: What the API accepts as JSON: a parsed value (dict, list, ...), or text / UTF-8 bytes.
JSONInput = Union[Mapping[str, Any], str, bytes, bytearray, memoryview]
#: What the API accepts as a point in time.
TimeInput = Union[datetime, str, int, float]


class NativeHandle:
    """Owns one handle of the C library: ``close()`` (idempotent), context manager, freed on
    garbage collection. Subclasses set ``_free`` to the name of their ``evr_*_free`` function and
    store the handle in ``self._handle``."""

    _free: str = ""

    def close(self) -> None:
        """Frees the handle; later calls raise :class:`InvalidHandleError`. Idempotent."""
        handle = getattr(self, "_handle", None)
        if handle is not None and handle.value:
            getattr(_native.lib, self._free)(handle)

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # pragma: no cover - interpreter shutdown
            pass


def check(status: int, err: _native.Error) -> None:
    """Raises the exception for a failed call."""
    if status != 0:
        offset = err.offset if err.offset >= 0 else None
        raise error_for_status(status, err.message.decode("utf-8", errors="replace"),
                               err.code.decode("utf-8", errors="replace"), offset)


def text_bytes(value: Any, what: str) -> bytes:
    """A text input as UTF-8 bytes: ``str`` is encoded, ``bytes``-like is passed as is."""
    if isinstance(value, str):
        try:
            return value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise error_for_status(-2, f"{what} is not valid Unicode text ({error.reason})", "invalidUTF8",
                                   error.start) from None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise InvalidArgumentError(f"{what} must be str or bytes, not {type(value).__name__}", code="invalidArgument")


def json_bytes(value: Any, what: str) -> bytes:
    """A JSON object input as UTF-8 bytes: ``str``/``bytes`` are JSON text as is; a mapping is encoded."""
    if isinstance(value, (str, bytes, bytearray, memoryview)):
        return text_bytes(value, what)
    if not isinstance(value, Mapping):
        raise InvalidArgumentError(f"{what} must be a dict, or JSON text as str or bytes, not {type(value).__name__}",
                                   code="invalidArgument")
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as error:
        raise InvalidArgumentError(f"{what} cannot be written as JSON: {error}", code="invalidArgument") from None


def to_epoch(value: TimeInput, what: str = "time") -> int:
    """Seconds since 1970 from a datetime (naive = UTC), an ISO-8601 string or a number."""
    if isinstance(value, bool):
        raise InvalidArgumentError(f"{what} must be a datetime, an ISO-8601 string or seconds", code="invalidArgument")
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return int(value.timestamp() // 1)
    if isinstance(value, str):
        err = _native.Error()
        out = _native.c_int64()
        data = text_bytes(value, what)
        check(_native.lib.evr_time_parse(byref(out), data, len(data), byref(err)), err)
        return out.value
    raise InvalidArgumentError(f"{what} must be a datetime, an ISO-8601 string or seconds", code="invalidArgument")


def from_epoch(seconds: int) -> datetime:
    """An aware UTC datetime."""
    return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=seconds)
