"""ctypes declarations of the C API (include/eventrouter.h) and the loaded library.

Internal: use the classes and functions of the ``eventrouter`` package instead. Every function
declared in the header is declared here with the same parameter count (a test compares them).
"""

from __future__ import annotations

import ctypes
import os
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    c_char,
    c_char_p,
    c_int,
    c_int64,
    c_size_t,
    c_uint,
    c_uint64,
    c_void_p,
    py_object,
)
from pathlib import Path

__all__ = ["lib", "library_path", "Error", "RulesetOptions", "RouterOptions", "Delivery", "DeliveryFailure",
           "MATCH_FN", "FUNCTION_FN", "NTS"]

#: Pass as a length to mean "NUL-terminated" (EVR_NTS).
NTS = ctypes.c_size_t(-1).value

RULESET_OPTIONS_VERSION = 1
ROUTER_OPTIONS_VERSION = 1
CLOCK_MANUAL = 0
CLOCK_SYSTEM = 1
SCHEDULE_SCHEDULER = 0
SCHEDULE_RULE = 1


class Error(Structure):
    """``evr_error``."""

    _fields_ = [
        ("status", c_int),
        ("offset", c_int64),
        ("code", c_char * 64),
        ("message", c_char * 1024),
    ]


class RulesetOptions(Structure):
    """``evr_ruleset_options``."""

    _fields_ = [
        ("version", c_uint),
        ("max_event_bytes", c_size_t),
        ("max_event_depth", c_uint),
        ("canonical_events", c_int),
        ("trusted_utf8", c_int),
    ]


class RouterOptions(Structure):
    """``evr_router_options``."""

    _fields_ = [
        ("version", c_uint),
        ("clock", c_int),
        ("start_time", c_int64),
        ("use_seed", c_int),
        ("seed", c_uint64),
        ("strict_missing_bus", c_int),
    ]


class Delivery(Structure):
    """``evr_delivery``."""

    _fields_ = [
        ("target_arn", c_void_p), ("target_arn_len", c_size_t),
        ("target_id", c_void_p), ("target_id_len", c_size_t),
        ("rule_arn", c_void_p), ("rule_arn_len", c_size_t),
        ("input", c_void_p), ("input_len", c_size_t),
        ("event", c_void_p), ("event_len", c_size_t),
        ("account", c_void_p), ("account_len", c_size_t),
        ("region", c_void_p), ("region_len", c_size_t),
        ("time", c_int64),
        ("attempt", c_int),
    ]


class DeliveryFailure(Structure):
    """``evr_delivery_failure``."""

    _fields_ = [
        ("code", c_char * 64),
        ("message", c_char * 512),
        ("retriable", c_int),
    ]


# The payload of match callbacks is a Python object (a list) passed through `void *`.
MATCH_FN = CFUNCTYPE(c_int, c_void_p, c_size_t, py_object)
FUNCTION_FN = CFUNCTYPE(c_int, POINTER(Delivery), POINTER(DeliveryFailure), c_void_p)

_status = c_int
_err = POINTER(Error)
_handle = c_void_p
_out_handle = POINTER(c_void_p)
_text = c_char_p
_size = c_size_t
_out_size = POINTER(c_size_t)
_out_string = POINTER(c_void_p)   # char **: read with string_at, release with evr_string_free

#: name -> (restype, argtypes): the whole C API.
SIGNATURES: dict[str, tuple[object, list[object]]] = {
    "evr_version": (c_char_p, [POINTER(c_int), POINTER(c_int), POINTER(c_int)]),
    "evr_string_free": (None, [c_void_p]),
    "evr_pattern_validate": (_status, [_text, _size, _err]),
    "evr_pattern_test": (_status, [POINTER(c_int), _text, _size, _text, _size, _err]),
    "evr_pattern_explain": (_status, [_out_string, _out_size, _text, _size, _text, _size, _err]),
    "evr_pattern_examples": (_status, [_out_string, _out_size, _text, _size, _size, c_uint64, _err]),
    "evr_pattern_edges": (_status, [_out_string, _out_size, _text, _size, _text, _size, _size, c_uint64, _err]),
    "evr_patterns_overlap": (_status, [_out_string, _out_size, _text, _size, _size, c_uint64, _err]),
    "evr_ruleset_new": (_status, [_out_handle, POINTER(RulesetOptions), _err]),
    "evr_ruleset_free": (None, [_handle]),
    "evr_ruleset_add": (_status, [_handle, _text, _size, _text, _size, _err]),
    "evr_ruleset_remove": (_status, [_handle, _text, _size, _err]),
    "evr_ruleset_count": (_status, [_out_size, _handle, _err]),
    "evr_ruleset_match": (_status, [_out_size, _handle, _text, _size, MATCH_FN, py_object, _err]),
    "evr_matcher_new": (_status, [_out_handle, _handle, _err]),
    "evr_matcher_free": (None, [_handle]),
    "evr_matcher_match": (_status, [_out_size, _handle, _text, _size, _err]),
    "evr_matcher_result": (_status, [POINTER(c_void_p), _out_size, _handle, _size, _err]),
    "evr_router_new": (_status, [_out_handle, POINTER(RouterOptions), _err]),
    "evr_router_free": (None, [_handle]),
    "evr_router_call": (_status, [_out_string, _out_size, _handle, _text, _size, _text, _size, _text, _size,
                                  _text, _size, _text, _size, _err]),
    "evr_router_create_function": (_status, [_out_string, _out_size, _handle, _text, _size, _text, _size,
                                             _text, _size, FUNCTION_FN, c_void_p, _err]),
    "evr_router_advance": (_status, [_out_size, _handle, c_int64, _err]),
    "evr_router_run_until_idle": (_status, [_out_size, _handle, _err]),
    "evr_router_now": (_status, [POINTER(c_int64), _handle, _err]),
    "evr_schedule_validate": (_status, [_text, _size, c_int, _err]),
    "evr_schedule_next": (_status, [POINTER(c_int64), _out_size, _text, _size, c_int64, _size, _text, _size, _err]),
    "evr_time_parse": (_status, [POINTER(c_int64), _text, _size, _err]),
    "evr_time_format": (_status, [POINTER(c_char), _size, c_int64, _err]),
}


def _find_library() -> Path:
    override = os.environ.get("EVENTROUTER_LIBRARY")
    if override:
        return Path(override)
    return Path(__file__).with_name("libeventrouter.so")


library_path = _find_library()
try:
    lib = ctypes.CDLL(str(library_path))
except OSError as error:  # pragma: no cover - an installation problem
    raise ImportError(
        f"eventrouter: cannot load the C library at {library_path} ({error}). "
        "Reinstall the package (pip install ./bindings/python builds it), or set EVENTROUTER_LIBRARY "
        "to a libeventrouter.so."
    ) from error

for _name, (_restype, _argtypes) in SIGNATURES.items():
    _function = getattr(lib, _name)
    _function.restype = _restype
    _function.argtypes = _argtypes


def take_string(pointer: c_void_p, length: int | None = None) -> str:
    """Reads a string the library returned through ``char **`` and frees it."""
    if not pointer.value:
        return ""
    try:
        data = ctypes.string_at(pointer.value, length) if length is not None else ctypes.string_at(pointer.value)
        return data.decode("utf-8")
    finally:
        lib.evr_string_free(pointer)


def borrowed(pointer: int | None, length: int) -> str:
    """Decodes a borrowed (pointer, length) string."""
    if not pointer:
        return ""
    return ctypes.string_at(pointer, length).decode("utf-8", errors="replace")
