"""The router: EventBridge in a process, driven with AWS's operation vocabulary."""

from __future__ import annotations

import json
import traceback
from ctypes import byref, c_int64, c_size_t, c_void_p
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Dict, Mapping, Optional, Union

from . import _native
from ._util import NativeHandle, TimeInput, check, from_epoch, json_bytes, text_bytes, to_epoch
from .errors import InvalidArgumentError

__all__ = ["Router", "Delivery", "DeliveryFailed", "DEFAULT_ACCOUNT", "DEFAULT_REGION"]

DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"

# Parameters that AWS takes as JSON *text*: a dict or list given for them is written as JSON.
_JSON_TEXT_PARAMETERS = frozenset({"EventPattern", "Detail", "Input", "Policy", "Event"})


def _encode_params(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: (json.dumps(item, separators=(",", ":"), ensure_ascii=False)
                      if key in _JSON_TEXT_PARAMETERS and isinstance(item, (Mapping, list)) else _encode_params(item))
                for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode_params(item) for item in value]
    return value


@dataclass(frozen=True)
class Delivery:
    """One delivery attempt to a Python function target.

    Attributes:
        target_arn: the function's ARN.
        target_id: the target's ``Id`` in the rule.
        rule_arn: the rule that matched.
        input: what the target receives, as text: the event, or the rendering of the target's
            ``Input`` / ``InputPath`` / ``InputTransformer``.
        event: the routed event envelope.
        account, region: of the rule.
        time: when this attempt happens (router clock, UTC).
        attempt: 1 for the first attempt, 2 for the first retry, ...
    """

    target_arn: str
    target_id: str
    rule_arn: str
    input: str
    event: Dict[str, Any]
    account: str
    region: str
    time: datetime
    attempt: int

    def json(self) -> Any:
        """:attr:`input` parsed as JSON."""
        return json.loads(self.input)


class DeliveryFailed(Exception):
    """Raise from a function target to fail a delivery with a chosen DLQ error code.

    Any other exception fails it as a retriable ``TARGET_ERROR``; returning ``False`` does too.

    Args:
        message: free text for the dead-letter message.
        code: a DLQ ERROR_CODE: ``TARGET_ERROR``, ``THROTTLING``, ``TIMEOUT``, ``NO_PERMISSIONS``, ...
        retriable: retried under the target's RetryPolicy (``True``) or dead-lettered at once.
    """

    def __init__(self, message: str = "", *, code: str = "TARGET_ERROR", retriable: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.retriable = retriable


def _fill(failure: Any, field: str, size: int, text: str) -> None:
    """Writes ``text`` into a fixed ``char[size]`` field, NUL-terminated, cut at a character boundary."""
    data = text.encode("utf-8", errors="replace")
    if len(data) > size - 1:
        data = data[: size - 1].decode("utf-8", errors="ignore").encode("utf-8")   # no cut character
    setattr(failure, field, data)


def _operation(service: str, operation: str, summary: str) -> Callable[..., Dict[str, Any]]:
    def method(self: "Router", params: Optional[Mapping[str, Any]] = None, /, *, account: Optional[str] = None,
               region: Optional[str] = None, **kwargs: Any) -> Dict[str, Any]:
        return self.call(service, operation, params, account=account, region=region, **kwargs)

    method.__name__ = "".join("_" + c.lower() if c.isupper() else c for c in operation).lstrip("_")
    method.__qualname__ = f"Router.{method.__name__}"
    method.__doc__ = (f"{summary}\n\n``{service}`` ``{operation}``: parameters and response as AWS's "
                      f"(see :meth:`Router.call`).")
    return method


class Router(NativeHandle):
    """EventBridge in a process: buses, rules, targets, delivery with retries and dead-letter
    queues, permissions, archives, EventBridge Scheduler, local queues and functions, on a manual
    clock (time moves only when you say so) or the system clock.

    >>> with Router(seed=1) as router:
    ...     queue = router.create_queue(QueueName="orders")["QueueArn"]
    ...     _ = router.put_rule(Name="big", EventPattern={"detail": {"total": [{"numeric": [">", 100]}]}})
    ...     _ = router.put_targets(Rule="big", Targets=[{"Id": "q", "Arn": queue}])
    ...     router.put_events(Entries=[{"Source": "shop", "DetailType": "Order", "Detail": {"total": 250}}])["FailedEntryCount"]
    ...     len(router.receive_message(QueueUrl="orders")["Messages"])
    0
    1

    Operations are methods named after AWS's operations in snake_case (``put_rule``,
    ``put_events``, ...), or :meth:`call` with the service and operation names. Parameters are
    AWS's (``Name``, ``EventPattern``, ...); ``EventPattern``, ``Detail``, ``Input``, ``Policy``
    and ``Event`` may be given as dicts. ``account=`` and ``region=`` choose the caller (defaults:
    the router's).

    Thread safety: any method from any thread. Function targets run on the thread that calls
    :meth:`call`, :meth:`advance` or :meth:`run_until_idle` (manual clock), or on a background
    thread (``clock="system"``).

    Args:
        start: the manual clock's start (default 2025-01-01T00:00:00Z).
        seed: seeds event ids and scripted failures, for reproducible runs.
        account, region: the defaults for calls.
        clock: ``"manual"`` (default) or ``"system"``.
        strict_missing_bus: PutEvents to a missing bus fails the entry instead of dropping it.
    """

    _free = "evr_router_free"

    def __init__(self, *, start: Optional[TimeInput] = None, seed: Optional[int] = None,
                 account: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION, clock: str = "manual",
                 strict_missing_bus: bool = False) -> None:
        if clock not in ("manual", "system"):
            raise ValueError(f"clock must be 'manual' or 'system', not {clock!r}")
        start_time = to_epoch(start, "start") if start is not None else 0
        if start is not None and start_time <= 0:
            raise InvalidArgumentError("start must be after 1970-01-01T00:00:00Z", code="invalidArgument")
        options = _native.RouterOptions(
            _native.ROUTER_OPTIONS_VERSION,
            _native.CLOCK_MANUAL if clock == "manual" else _native.CLOCK_SYSTEM,
            start_time,
            int(seed is not None), seed or 0, int(strict_missing_bus))
        err = _native.Error()
        handle = c_void_p()
        check(_native.lib.evr_router_new(byref(handle), byref(options), byref(err)), err)
        self._handle = handle
        self.account = account
        self.region = region
        # Keeps the ctypes trampolines of function targets alive as long as the router.
        self._functions: Dict[str, Any] = {}

    # -- lifetime ---------------------------------------------------------------------------


    # -- the JSON operation entry point -----------------------------------------------------

    def call(self, service: str, operation: str, params: Optional[Mapping[str, Any]] = None, /, *,
             account: Optional[str] = None, region: Optional[str] = None, **kwargs: Any) -> Dict[str, Any]:
        """Runs one AWS operation and returns AWS's response.

        >>> Router().call("events", "PutRule", Name="r", EventPattern={"source": ["shop"]})
        {'RuleArn': 'arn:aws:events:us-east-1:123456789012:rule/r'}

        Args:
            service: ``events``, ``sqs``, ``lambda``, ``scheduler``, ``organizations``, ``router``, or a
                simulated service: ``batch``, ``emr``, ``elbv2`` (Documentation/SIMULATORS.md).
            operation: AWS's operation name (``PutRule``).
            params: the parameters as a mapping; keyword arguments are added to them.

        Raises:
            ResourceNotFoundError, ResourceAlreadyExistsError, ValidationError,
            InvalidEventPatternError, LimitExceededError, ApiError: AWS's error, with
            AWS's code in ``code``.
        """
        merged: Dict[str, Any] = dict(params or {})
        merged.update(kwargs)
        data = json_bytes(_encode_params(merged), "params")
        service_data = text_bytes(service, "service")
        operation_data = text_bytes(operation, "operation")
        account_data = text_bytes(account or self.account, "account")
        region_data = text_bytes(region or self.region, "region")
        err = _native.Error()
        response = c_void_p()
        length = c_size_t()
        check(_native.lib.evr_router_call(byref(response), byref(length), self._handle, service_data, len(service_data),
                                          operation_data, len(operation_data), account_data, len(account_data),
                                          region_data, len(region_data), data, len(data), byref(err)), err)
        return json.loads(_native.take_string(response, length.value))

    # -- function targets -------------------------------------------------------------------

    def create_function(self, name: str, handler: Callable[[Delivery], Any], *, account: Optional[str] = None,
                        region: Optional[str] = None) -> str:
        """Registers a Python callable as a function target; returns its ARN
        (``arn:aws:lambda:REGION:ACCOUNT:function:NAME``) for ``put_targets``.

        The handler gets a :class:`Delivery` per attempt. Returning normally (anything but
        ``False``) is success; raising :class:`DeliveryFailed` fails with its code and
        retriability; any other exception (or returning ``False``) fails with a retriable
        ``TARGET_ERROR`` carrying the exception's text. Failed attempts are retried under the
        target's ``RetryPolicy`` and then sent to its ``DeadLetterConfig`` queue.
        """

        def trampoline(delivery_pointer: Any, failure_pointer: Any, _payload: Any) -> int:
            try:
                d = delivery_pointer.contents
                delivery = Delivery(
                    target_arn=_native.borrowed(d.target_arn, d.target_arn_len),
                    target_id=_native.borrowed(d.target_id, d.target_id_len),
                    rule_arn=_native.borrowed(d.rule_arn, d.rule_arn_len),
                    input=_native.borrowed(d.input, d.input_len),
                    event=json.loads(_native.borrowed(d.event, d.event_len)),
                    account=_native.borrowed(d.account, d.account_len),
                    region=_native.borrowed(d.region, d.region_len),
                    time=from_epoch(d.time),
                    attempt=d.attempt,
                )
                result = handler(delivery)
                if result is False:
                    _fill(failure_pointer.contents, "message", 512, "the handler returned False")
                    return 1
                return 0
            except DeliveryFailed as failure:
                _fill(failure_pointer.contents, "code", 64, failure.code)
                _fill(failure_pointer.contents, "message", 512, failure.message)
                failure_pointer.contents.retriable = int(failure.retriable)
                return 1
            except BaseException as error:  # never let an exception cross into C
                text = "".join(traceback.format_exception_only(type(error), error)).strip()
                try:
                    _fill(failure_pointer.contents, "message", 512, text)
                except Exception:  # pragma: no cover
                    pass
                return 1

        callback = _native.FUNCTION_FN(trampoline)
        name_data = text_bytes(name, "name")
        account_data = text_bytes(account or self.account, "account")
        region_data = text_bytes(region or self.region, "region")
        err = _native.Error()
        arn = c_void_p()
        length = c_size_t()
        check(_native.lib.evr_router_create_function(byref(arn), byref(length), self._handle, account_data,
                                                     len(account_data), region_data, len(region_data), name_data,
                                                     len(name_data), callback, None, byref(err)), err)
        text = _native.take_string(arn, length.value)
        self._functions[text] = callback
        return text

    # -- the clock --------------------------------------------------------------------------

    def advance(self, seconds: Union[int, float, timedelta]) -> int:
        """Moves the manual clock forward, delivering everything due on the way (retries and
        schedules included, in time order). Returns the number of delivery attempts made."""
        if isinstance(seconds, timedelta):
            seconds = seconds.total_seconds()
        err = _native.Error()
        attempts = c_size_t()
        check(_native.lib.evr_router_advance(byref(attempts), self._handle, int(seconds), byref(err)), err)
        return attempts.value

    def run_until_idle(self) -> int:
        """Delivers everything due now. Returns the number of delivery attempts made."""
        err = _native.Error()
        attempts = c_size_t()
        check(_native.lib.evr_router_run_until_idle(byref(attempts), self._handle, byref(err)), err)
        return attempts.value

    @property
    def now(self) -> datetime:
        """The router clock's time (UTC)."""
        err = _native.Error()
        value = c_int64()
        check(_native.lib.evr_router_now(byref(value), self._handle, byref(err)), err)
        return from_epoch(value.value)

    # -- AWS operations ---------------------------------------------------------------------

    create_event_bus = _operation("events", "CreateEventBus", "Creates a custom event bus.")
    delete_event_bus = _operation("events", "DeleteEventBus", "Deletes a custom event bus.")
    describe_event_bus = _operation("events", "DescribeEventBus", "Describes an event bus (default: the default bus).")
    list_event_buses = _operation("events", "ListEventBuses", "Lists the account's event buses.")
    put_rule = _operation("events", "PutRule", "Creates or updates a rule (EventPattern or ScheduleExpression).")
    delete_rule = _operation("events", "DeleteRule", "Deletes a rule that has no targets.")
    describe_rule = _operation("events", "DescribeRule", "Describes a rule.")
    list_rules = _operation("events", "ListRules", "Lists rules.")
    enable_rule = _operation("events", "EnableRule", "Enables a rule.")
    disable_rule = _operation("events", "DisableRule", "Disables a rule.")
    put_targets = _operation("events", "PutTargets", "Adds or updates a rule's targets.")
    remove_targets = _operation("events", "RemoveTargets", "Removes targets from a rule.")
    list_targets_by_rule = _operation("events", "ListTargetsByRule", "Lists a rule's targets.")
    list_rule_names_by_target = _operation("events", "ListRuleNamesByTarget", "Lists the rules that target an ARN.")
    put_events = _operation("events", "PutEvents", "Sends custom events to an event bus.")
    test_event_pattern = _operation("events", "TestEventPattern", "Tests a pattern against an event (AWS's shape).")
    put_permission = _operation("events", "PutPermission", "Adds a statement to a bus's resource policy.")
    remove_permission = _operation("events", "RemovePermission", "Removes statements from a bus's resource policy.")
    create_archive = _operation("events", "CreateArchive", "Creates an archive of a bus's events.")
    describe_archive = _operation("events", "DescribeArchive", "Describes an archive.")
    list_archives = _operation("events", "ListArchives", "Lists archives.")
    delete_archive = _operation("events", "DeleteArchive", "Deletes an archive.")
    start_replay = _operation("events", "StartReplay", "Replays archived events to a bus.")
    describe_replay = _operation("events", "DescribeReplay", "Describes a replay.")
    create_queue = _operation("sqs", "CreateQueue", "Creates a local queue (an SQS target).")
    get_queue_url = _operation("sqs", "GetQueueUrl", "The URL of a queue.")
    receive_message = _operation("sqs", "ReceiveMessage", "Receives messages from a queue (QueueUrl: URL or name).")
    delete_message = _operation("sqs", "DeleteMessage", "Deletes a received message.")
    get_queue_attributes = _operation("sqs", "GetQueueAttributes", "A queue's message counts.")
    create_scripted_function = _operation("lambda", "CreateFunction",
                                          "Creates a scripted function target (FailFirst, FailureRate, Seed).")
    list_invocations = _operation("lambda", "ListInvocations", "The invocations a function received.")
    create_schedule = _operation("scheduler", "CreateSchedule", "Creates an EventBridge Scheduler schedule.")
    get_schedule = _operation("scheduler", "GetSchedule", "Describes a schedule.")
    delete_schedule = _operation("scheduler", "DeleteSchedule", "Deletes a schedule.")
    list_schedules = _operation("scheduler", "ListSchedules", "Lists schedules.")
    join_organization = _operation("organizations", "JoinOrganization", "Places the account in an organization.")
    get_metrics = _operation("router", "GetMetrics", "A rule's CloudWatch-style metrics (RuleArn).")
    get_accounting = _operation("router", "GetAccounting", "Where every matched (event, target) pair stands.")
