/*
 * eventrouter.h — the C API of EventRouter, an in-process Amazon EventBridge.
 *
 * This header is hand-written and canonical: the Swift implementation
 * (Sources/EventRouterC) is compiled against it with `@c @implementation`, so a
 * signature that drifts from this file fails the build, and a test checks that
 * the library exports exactly the functions declared here.
 *
 * Conventions (see Documentation/C-API.md for a tour with complete examples):
 *
 *  - Every fallible function returns an `evr_status`: EVR_OK (0) on success, a
 *    negative EVR_E_* code on failure. Codes are only ever appended.
 *  - Argument order: out-parameters, the handle, inputs, callback + payload,
 *    and last an optional `evr_error *err` (may be NULL) that receives the
 *    details of a failure: status, a machine-readable code, a message and a
 *    byte offset. No global or thread-local "last error"; no global init.
 *  - Text inputs are `const char *` + `size_t` length, UTF-8, no NUL needed.
 *    Pass EVR_NTS as the length of a NUL-terminated string. Invalid UTF-8 is
 *    EVR_E_UTF8; a NULL pointer where one is not allowed is EVR_E_ARGUMENT.
 *  - Handles are opaque. Each type has `_new` and `_free`; `_free(NULL)` does
 *    nothing. The library keeps a table of live handles: a handle that was
 *    never returned by `_new`, that was already freed, or that is of another
 *    type yields EVR_E_HANDLE instead of a crash. (Freeing a handle while
 *    another thread uses it is safe: that call completes on the old object.)
 *  - Strings the library returns through `char **` are allocated by it and
 *    released with evr_string_free(). Strings it passes to callbacks are
 *    borrowed for the duration of the callback.
 *  - Bad input never kills the host process: NULL pointers, impossible
 *    lengths, invalid UTF-8 and JSON, unknown or freed handles and limit
 *    violations are reported as statuses. (Pointers to unmapped memory, or
 *    lengths longer than the buffer really is, cannot be detected.)
 *
 * Thread safety is stated on every handle type below.
 */
#ifndef EVENTROUTER_H
#define EVENTROUTER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Version                                                                  */
/* ------------------------------------------------------------------------ */

#define EVR_VERSION_MAJOR 0
#define EVR_VERSION_MINOR 1
#define EVR_VERSION_PATCH 0
/** The version as a string, "MAJOR.MINOR.PATCH". */
#define EVR_VERSION_STRING "0.1.0"
/** The version as one comparable number: MAJOR * 10000 + MINOR * 100 + PATCH. */
#define EVR_VERSION_NUMBER (EVR_VERSION_MAJOR * 10000 + EVR_VERSION_MINOR * 100 + EVR_VERSION_PATCH)

/**
 * The version of the library linked at run time (compare with the
 * EVR_VERSION_* macros of the header compiled against).
 *
 * @param major, minor, patch  receive the numbers; each may be NULL.
 * @return "MAJOR.MINOR.PATCH", a static string (never free it).
 * Thread-safe.
 */
const char *evr_version(int *major, int *minor, int *patch);

/* ------------------------------------------------------------------------ */
/* Status codes and errors                                                  */
/* ------------------------------------------------------------------------ */

/** The result of every fallible call. Values are only appended, never changed. */
typedef enum evr_status {
    EVR_OK = 0,
    /** A NULL pointer where one is required, an impossible length, a value out of range. */
    EVR_E_ARGUMENT = -1,
    /** A text input is not valid UTF-8. */
    EVR_E_UTF8 = -2,
    /** An unknown handle: never created, already freed, or of another type. */
    EVR_E_HANDLE = -3,
    /** Malformed JSON (an event, call parameters), or an event that is not a JSON object. */
    EVR_E_JSON = -4,
    /** An invalid event pattern, including one too complex for AWS's limits; the message is
     *  AWS's ("Event pattern is not valid. Reason: ..."). */
    EVR_E_PATTERN = -5,
    /** No such rule in a rule set; for router calls, a resource that does not exist. */
    EVR_E_NOT_FOUND = -6,
    /** A router resource that already exists (ResourceAlreadyExistsException). */
    EVR_E_ALREADY_EXISTS = -7,
    /** A router call's parameters failed AWS's validation (ValidationException and the like). */
    EVR_E_VALIDATION = -8,
    /** A limit was exceeded: event size or nesting depth; for router calls, LimitExceededException. */
    EVR_E_LIMIT = -9,
    /** An invalid schedule expression, time zone or timestamp. */
    EVR_E_SCHEDULE = -10,
    /** Any other error of the AWS-shaped API; `err->code` holds AWS's error code. */
    EVR_E_API = -11,
    /** A single-thread handle (evr_matcher) is being used by another thread right now. */
    EVR_E_BUSY = -12,
    /** A bug in the library; please report it with the message. */
    EVR_E_INTERNAL = -13
} evr_status;

/** Size of evr_error.code, including the terminating NUL. */
#define EVR_ERROR_CODE_SIZE 64
/** Size of evr_error.message, including the terminating NUL. */
#define EVR_ERROR_MESSAGE_SIZE 1024

/**
 * Details of a failed call, filled in by the library when the caller passes
 * one. On success the library sets `status` to EVR_OK, `offset` to -1 and both
 * strings to "". Caller-owned: use one per thread (a stack variable is ideal).
 */
typedef struct evr_error {
    /** The same status the call returned. */
    evr_status status;
    /** Byte offset in the offending input (pattern, event, expression), or -1. */
    int64_t offset;
    /**
     * A machine-readable code, NUL-terminated: for evr_router_call AWS's error
     * code ("ResourceNotFoundException"); otherwise the library's kind
     * ("invalidPattern", "malformedJSON", "invalidUTF8", "valueOutOfRange", ...).
     */
    char code[64];
    /**
     * A human-readable message, UTF-8, NUL-terminated, truncated at a character
     * boundary to fit. For invalid patterns, AWS's exact message.
     */
    char message[1024];
} evr_error;

/** Frees a string returned by the library through a `char **` out-parameter. NULL is ignored. */
void evr_string_free(char *string);

/** Pass as a length to mean "the string is NUL-terminated". */
#define EVR_NTS ((size_t)-1)

/* ------------------------------------------------------------------------ */
/* Event patterns: one-shot test and validation                             */
/* ------------------------------------------------------------------------ */

/**
 * Validates an event pattern exactly as EventBridge receives it.
 *
 * @return EVR_OK, or EVR_E_PATTERN with AWS's message in `err->message`
 *         ("Event pattern is not valid. Reason: ...") and the offending byte
 *         in `err->offset` when known (also for a pattern beyond a complexity limit:
 *         then `err->code` is "limitExceeded"); EVR_E_UTF8 / EVR_E_ARGUMENT for bad input.
 * Thread-safe.
 */
evr_status evr_pattern_validate(const char *pattern, size_t pattern_len, evr_error *err);

/**
 * Tests one pattern against one event (what EventBridge's TestEventPattern does).
 *
 * @param out_match  receives 1 when the event matches, 0 when it does not.
 * @param pattern    the pattern text.
 * @param event      the event, JSON text of an object (the full envelope is not required).
 * @return EVR_OK; EVR_E_PATTERN for an invalid pattern (AWS's message);
 *         EVR_E_JSON for an event that is not a JSON object; EVR_E_LIMIT, EVR_E_UTF8, EVR_E_ARGUMENT.
 * Thread-safe. Compiles the pattern on every call: use an evr_ruleset to
 * match many events.
 */
evr_status evr_pattern_test(int *out_match, const char *pattern, size_t pattern_len,
                            const char *event, size_t event_len, evr_error *err);

/* ------------------------------------------------------------------------ */
/* Pattern tools: explain, examples, edges, overlap                         */
/* ------------------------------------------------------------------------ */
/* Each returns JSON text through `out_json` (free it with evr_string_free();
 * NULL on failure; may be NULL) and its length through `out_len` (may be NULL).
 * The same shapes as the eventrouter command's --json / JSON Lines output;
 * see Documentation/PATTERNS.md, "Tools". All are thread-safe, and the same
 * seed gives the same output. */

/**
 * Why an event does or does not match: {"match": bool, "alternatives": [{"match",
 * "fields": [{"path", "values", "satisfied", "matched_by", "reason"}], "array_conflict"}],
 * "text": "<the same, readable by a person>"}.
 *
 * @return EVR_OK; EVR_E_PATTERN, EVR_E_JSON, EVR_E_LIMIT, EVR_E_UTF8, EVR_E_ARGUMENT.
 */
evr_status evr_pattern_explain(char **out_json, size_t *out_len, const char *pattern, size_t pattern_len,
                               const char *event, size_t event_len, evr_error *err);

/**
 * Up to `count` (at most 10000) example events: [{"event", "match", "why"}, ...],
 * alternating matches and near misses (one condition broken), each labelled
 * by the matcher.
 *
 * @return EVR_OK; EVR_E_PATTERN, EVR_E_UTF8, EVR_E_ARGUMENT (count too large).
 */
evr_status evr_pattern_examples(char **out_json, size_t *out_len, const char *pattern, size_t pattern_len,
                                size_t count, uint64_t seed, evr_error *err);

/**
 * A pattern's edges: mutates events at the fields the pattern reads (case,
 * 300 vs 300.0 vs "300", array wrapping, dotted keys, spaces, accents, null,
 * missing fields, ...) and reports those that flip the verdict:
 * {"edges": [{"path", "mutation", "from", "to", "before", "after", "note", "event"}],
 *  "summary": {"runs", "seed_events", "flips", "distinct_edges"}}.
 *
 * @param events  a JSON array of event objects to start from; NULL (any
 *                length) = 16 generated examples.
 * @param runs    the most mutated events to evaluate (at most 1000000).
 * @return EVR_OK; EVR_E_PATTERN, EVR_E_JSON (events not an array of objects),
 *         EVR_E_LIMIT, EVR_E_UTF8, EVR_E_ARGUMENT.
 */
evr_status evr_pattern_edges(char **out_json, size_t *out_len, const char *pattern, size_t pattern_len,
                             const char *events, size_t events_len, size_t runs, uint64_t seed, evr_error *err);

/**
 * Overlapping rules: [{"kind": "contains", "outer", "inner", "witness"} |
 * {"kind": "equivalent" | "intersects", "rules": [a, b], "witness"} |
 * {"kind": "likely-contains", "outer", "inner", "witness"}, ...], containment first.
 *
 * @param rules      a JSON object: rule name -> pattern (a pattern object, or its text as a string).
 * @param witnesses  matching events generated per rule (1 to 1000; 0 = 12).
 * @return EVR_OK; EVR_E_PATTERN naming the rule in `err->message`;
 *         EVR_E_JSON when `rules` is not an object; EVR_E_UTF8, EVR_E_ARGUMENT.
 */
evr_status evr_patterns_overlap(char **out_json, size_t *out_len, const char *rules, size_t rules_len,
                                size_t witnesses, uint64_t seed, evr_error *err);

/* ------------------------------------------------------------------------ */
/* Rule sets                                                                */
/* ------------------------------------------------------------------------ */

/**
 * A set of named event patterns matched against events in one pass over each
 * event, at a cost that grows with the event's fields that rules mention, not
 * with the number of rules.
 *
 * Thread safety: fully thread-safe. Any number of threads may match (with
 * evr_ruleset_match or their own evr_matcher) while other threads add and
 * remove rules. Writers are serialised; readers never wait for them and always
 * see one complete rule set (before or after a change, never a mix).
 */
typedef struct evr_ruleset evr_ruleset;

/** Options for evr_ruleset_new. Initialise with EVR_RULESET_OPTIONS_INIT. */
typedef struct evr_ruleset_options {
    /** Must be EVR_RULESET_OPTIONS_VERSION. */
    unsigned int version;
    /** Largest event accepted, in bytes; 0 = default (1 MiB). */
    size_t max_event_bytes;
    /** Deepest nesting accepted in events; 0 = default (128). */
    unsigned int max_event_depth;
    /** Non-zero: events are promised to be well-formed JSON without repeated keys, so
     *  matching may stop reading once every field that rules use was seen. */
    int canonical_events;
    /** Non-zero: skip the UTF-8 check of whole events (strings that rules read are still
     *  checked). Saves one pass over each event when the caller already validated it. */
    int trusted_utf8;
} evr_ruleset_options;

#define EVR_RULESET_OPTIONS_VERSION 1
#define EVR_RULESET_OPTIONS_INIT { EVR_RULESET_OPTIONS_VERSION, 0, 0, 0, 0 }

/**
 * Creates an empty rule set.
 *
 * @param out      receives the handle; free it with evr_ruleset_free().
 * @param options  NULL for the defaults.
 * @return EVR_OK; EVR_E_ARGUMENT for a NULL `out` or options of an unknown version.
 */
evr_status evr_ruleset_new(evr_ruleset **out, const evr_ruleset_options *options, evr_error *err);

/** Frees a rule set. NULL and unknown handles are ignored. Matchers made from it stay usable. */
void evr_ruleset_free(evr_ruleset *set);

/**
 * Adds a pattern under a rule name. A second pattern under the same name is an
 * alternative (OR). The name is any non-empty UTF-8 text without NUL bytes.
 *
 * @return EVR_OK; EVR_E_PATTERN with AWS's message (the set is unchanged);
 *         EVR_E_UTF8, EVR_E_ARGUMENT, EVR_E_HANDLE.
 * Complexity: recompiles the set's index, O(total size of all patterns).
 */
evr_status evr_ruleset_add(evr_ruleset *set, const char *name, size_t name_len,
                           const char *pattern, size_t pattern_len, evr_error *err);

/**
 * Removes every pattern of a rule.
 *
 * @return EVR_OK; EVR_E_NOT_FOUND when no rule has that name; EVR_E_UTF8, EVR_E_ARGUMENT, EVR_E_HANDLE.
 */
evr_status evr_ruleset_remove(evr_ruleset *set, const char *name, size_t name_len, evr_error *err);

/** The number of rules (distinct names) in the set. */
evr_status evr_ruleset_count(size_t *out_count, const evr_ruleset *set, evr_error *err);

/**
 * Called once per matching rule, in the order the rules were first added.
 *
 * @param name      the rule's name, NUL-terminated, borrowed for the call.
 * @param name_len  its length in bytes.
 * @param payload   the caller's pointer, passed through.
 * @return 0 to continue, non-zero to stop reporting further matches.
 */
typedef int (*evr_match_fn)(const char *name, size_t name_len, void *payload);

/**
 * Matches one event and reports each matching rule through `fn`.
 *
 * @param out_count  receives the number of matching rules (all of them, even if
 *                   `fn` stopped early); may be NULL.
 * @param event      JSON text of an object.
 * @param fn         may be NULL to only count.
 * @return EVR_OK; EVR_E_JSON when the event is not a JSON object; EVR_E_LIMIT;
 *         EVR_E_UTF8; EVR_E_ARGUMENT; EVR_E_HANDLE.
 * Thread-safe. Allocates nothing in the steady state (per-thread scratch
 * state is pooled). `fn` runs with no library lock held: it may call any
 * function, including ones that change this set.
 */
evr_status evr_ruleset_match(size_t *out_count, const evr_ruleset *set,
                             const char *event, size_t event_len,
                             evr_match_fn fn, void *payload, evr_error *err);

/**
 * A reusable matching handle bound to one rule set, owning its scratch state
 * and its result list: after warm-up, matching with it allocates nothing.
 *
 * Thread safety: single-threaded. Use one matcher per thread (it may move
 * between threads). Two threads using one matcher at the same time get
 * EVR_E_BUSY instead of corrupting it. It sees rule changes on its next match.
 */
typedef struct evr_matcher evr_matcher;

/**
 * Creates a matcher for `set`. The matcher keeps the rule set's rules alive,
 * even after evr_ruleset_free(set).
 */
evr_status evr_matcher_new(evr_matcher **out, evr_ruleset *set, evr_error *err);

/** Frees a matcher. NULL and unknown handles are ignored. */
void evr_matcher_free(evr_matcher *matcher);

/**
 * Matches one event; the matching rule names are then read with evr_matcher_result().
 *
 * @param out_count  receives the number of matching rules; may be NULL.
 * @return as evr_ruleset_match(); EVR_E_BUSY when another thread is using the matcher.
 *         After a failure the result list is empty.
 */
evr_status evr_matcher_match(size_t *out_count, evr_matcher *matcher,
                             const char *event, size_t event_len, evr_error *err);

/**
 * The name of the `index`-th matching rule of the last evr_matcher_match().
 *
 * @param out_name  receives the NUL-terminated name, valid until the next
 *                  evr_matcher_match() on this matcher or evr_matcher_free().
 * @param out_len   receives its length in bytes; may be NULL.
 * @return EVR_OK; EVR_E_ARGUMENT when `index` is not below the last count.
 */
evr_status evr_matcher_result(const char **out_name, size_t *out_len,
                              const evr_matcher *matcher, size_t index, evr_error *err);

/* ------------------------------------------------------------------------ */
/* The router: buses, rules, targets and delivery behind AWS's JSON API     */
/* ------------------------------------------------------------------------ */

/**
 * EventBridge in a process: accounts and regions with event buses, rules,
 * targets (local queues, functions, other buses), resource policies, archives,
 * EventBridge Scheduler, and at-least-once delivery with retries and
 * dead-letter queues.
 *
 * Thread safety: fully thread-safe; calls from several threads are
 * serialised where they touch shared state. Function-target callbacks run
 * with no router lock held (they may call back into the router), on the
 * thread that calls evr_router_call / evr_router_advance /
 * evr_router_run_until_idle (manual clock), or on a background thread
 * (system clock).
 */
typedef struct evr_router evr_router;

/** Which clock drives a router. */
typedef enum evr_clock {
    /** Time moves only through evr_router_advance(); deliveries happen inside
     *  evr_router_call(), evr_router_advance() and evr_router_run_until_idle(). */
    EVR_CLOCK_MANUAL = 0,
    /** The wall clock; due deliveries happen on a background thread. */
    EVR_CLOCK_SYSTEM = 1
} evr_clock;

/** Options for evr_router_new. Initialise with EVR_ROUTER_OPTIONS_INIT. */
typedef struct evr_router_options {
    /** Must be EVR_ROUTER_OPTIONS_VERSION. */
    unsigned int version;
    /** EVR_CLOCK_MANUAL (default) or EVR_CLOCK_SYSTEM. */
    evr_clock clock;
    /** Manual clock start, seconds since 1970-01-01T00:00:00Z; 0 = 2025-01-01T00:00:00Z. */
    int64_t start_time;
    /** Non-zero: use `seed` for event ids and scripted failures (reproducible runs). */
    int use_seed;
    uint64_t seed;
    /** Non-zero: PutEvents to a missing bus fails the entry instead of dropping the event. */
    int strict_missing_bus;
} evr_router_options;

#define EVR_ROUTER_OPTIONS_VERSION 1
#define EVR_ROUTER_OPTIONS_INIT { EVR_ROUTER_OPTIONS_VERSION, EVR_CLOCK_MANUAL, 0, 0, 0, 0 }

/**
 * Creates a router.
 *
 * @param options  NULL for the defaults (manual clock at 2025-01-01T00:00:00Z, random seed).
 */
evr_status evr_router_new(evr_router **out, const evr_router_options *options, evr_error *err);

/**
 * Frees a router. NULL and unknown handles are ignored. Function callbacks are
 * never called after this returns (unless a call on another thread is still
 * running on the router).
 */
void evr_router_free(evr_router *router);

/**
 * The JSON operation entry point: one AWS operation with AWS's parameter and
 * response shapes, e.g. service "events", operation "PutRule", params
 * {"Name": "r", "EventPattern": "{\"source\": [\"shop\"]}"}.
 *
 * Services: events (buses, rules, targets, PutEvents, TestEventPattern,
 * permissions, archives, replays), sqs (local queues), lambda (scripted
 * functions), scheduler (EventBridge Scheduler), organizations, router
 * (GetMetrics, GetAccounting), and the simulated AWS services batch, emr and
 * elbv2 (Documentation/SIMULATORS.md). See Documentation/C-API.md.
 *
 * @param out_response  receives the response, NUL-terminated JSON text; free
 *                      it with evr_string_free(). Set to NULL on failure. May be NULL.
 * @param out_len       receives the response length; may be NULL.
 * @param account       12-digit account id; NULL = "123456789012".
 * @param region        NULL = "us-east-1".
 * @param params        a JSON object; NULL (any length) = {}.
 * @return EVR_OK; on an AWS error a status by its kind (EVR_E_NOT_FOUND,
 *         EVR_E_ALREADY_EXISTS, EVR_E_VALIDATION, EVR_E_PATTERN, EVR_E_LIMIT,
 *         otherwise EVR_E_API) with AWS's code in `err->code` and its message
 *         in `err->message`; EVR_E_JSON for malformed params.
 * Thread-safe. With a manual clock, deliveries due now run before it returns.
 */
evr_status evr_router_call(char **out_response, size_t *out_len, evr_router *router,
                           const char *service, size_t service_len,
                           const char *operation, size_t operation_len,
                           const char *account, size_t account_len,
                           const char *region, size_t region_len,
                           const char *params, size_t params_len, evr_error *err);

/** One delivery attempt to a function target, borrowed for the duration of the callback. */
typedef struct evr_delivery {
    /** The function's ARN and the target's Id in the rule. */
    const char *target_arn;
    size_t target_arn_len;
    const char *target_id;
    size_t target_id_len;
    /** The rule that matched. */
    const char *rule_arn;
    size_t rule_arn_len;
    /** What the target receives: the event, or its InputPath / InputTransformer / Input rendering. */
    const char *input;
    size_t input_len;
    /** The routed event envelope, JSON. */
    const char *event;
    size_t event_len;
    /** The account and region of the rule. */
    const char *account;
    size_t account_len;
    const char *region;
    size_t region_len;
    /** Seconds since 1970 of this attempt. */
    int64_t time;
    /** 1 for the first attempt, 2 for the first retry, ... */
    int attempt;
} evr_delivery;

/** How a failed delivery failed; preset to {"TARGET_ERROR", "", 1} before the callback runs. */
typedef struct evr_delivery_failure {
    /** A DLQ error code: TARGET_ERROR, THROTTLING, TIMEOUT, NO_PERMISSIONS, NO_RESOURCE, ... */
    char code[64];
    /** Free text for the dead-letter message. */
    char message[512];
    /** Non-zero: retried under the target's RetryPolicy; zero: dead-lettered (or dropped) at once. */
    int retriable;
} evr_delivery_failure;

/**
 * A function target implemented in C.
 *
 * @return 0 when the delivery succeeded; non-zero when it failed (then
 *         `failure` may be edited; all strings NUL-terminated).
 */
typedef int (*evr_function_fn)(const evr_delivery *delivery, evr_delivery_failure *failure, void *payload);

/**
 * Registers a function target ("arn:aws:lambda:REGION:ACCOUNT:function:NAME")
 * backed by a C callback; rules target it with PutTargets. Registering the
 * same name again replaces the callback.
 *
 * @param out_arn  receives the function's ARN (free with evr_string_free); may be NULL.
 * @param account  NULL = "123456789012".  @param region  NULL = "us-east-1".
 * @param payload  passed to `fn`; must stay valid until the router is freed.
 */
evr_status evr_router_create_function(char **out_arn, size_t *out_len, evr_router *router,
                                      const char *account, size_t account_len,
                                      const char *region, size_t region_len,
                                      const char *name, size_t name_len,
                                      evr_function_fn fn, void *payload, evr_error *err);

/**
 * Moves a manual clock forward by `seconds` (>= 0), stopping at every due
 * delivery, retry and schedule on the way, in time order. An event loop (a
 * target whose work produces events its own rule matches again) cannot hang
 * the call: after 1,000,000 delivery attempts at one instant it returns there,
 * with the clock at that instant and the rest still due.
 *
 * @param out_attempts  receives the number of delivery attempts made; may be NULL.
 * @return EVR_OK; EVR_E_ARGUMENT for a negative `seconds` or a router on the system clock.
 */
evr_status evr_router_advance(size_t *out_attempts, evr_router *router, int64_t seconds, evr_error *err);

/** Delivers everything due now (and what that causes), at most 1,000,000 attempts per call.
 *  `out_attempts` may be NULL. */
evr_status evr_router_run_until_idle(size_t *out_attempts, evr_router *router, evr_error *err);

/** The router clock's current time, seconds since 1970. */
evr_status evr_router_now(int64_t *out_time, const evr_router *router, evr_error *err);

/* ------------------------------------------------------------------------ */
/* Schedule expressions and time                                            */
/* ------------------------------------------------------------------------ */

/** Which service's grammar a schedule expression is read in. */
typedef enum evr_schedule_dialect {
    /** EventBridge Scheduler: rate(...), cron(...) and at(...), any time zone. */
    EVR_SCHEDULE_SCHEDULER = 0,
    /** EventBridge scheduled rules (PutRule): rate(...) and cron(...), UTC. */
    EVR_SCHEDULE_RULE = 1
} evr_schedule_dialect;

/**
 * Validates a schedule expression.
 *
 * @return EVR_OK; EVR_E_SCHEDULE with the field and reason in `err->message`
 *         ("Minutes: 71 is out of range 0-59"), the kind in `err->code` and the byte in `err->offset`.
 *         (AWS itself only ever says "Parameter ScheduleExpression is not valid.")
 */
evr_status evr_schedule_validate(const char *expression, size_t expression_len,
                                 evr_schedule_dialect dialect, evr_error *err);

/**
 * The next fire times of a schedule expression (Scheduler dialect) strictly after `after`.
 *
 * @param out_times  an array of `capacity` elements; receives seconds since 1970.
 * @param out_count  receives how many were written (fewer when the schedule stops firing).
 * @param after      seconds since 1970.
 * @param time_zone  an IANA zone name ("America/New_York") in which cron and at are read;
 *                   NULL = UTC.
 * @return EVR_OK; EVR_E_SCHEDULE for an invalid expression or unknown zone.
 */
evr_status evr_schedule_next(int64_t *out_times, size_t *out_count,
                             const char *expression, size_t expression_len, int64_t after,
                             size_t capacity, const char *time_zone, size_t time_zone_len,
                             evr_error *err);

/** Parses an ISO-8601 UTC time ("2025-01-01T00:00:00Z") to seconds since 1970. EVR_E_SCHEDULE if invalid. */
evr_status evr_time_parse(int64_t *out_time, const char *text, size_t text_len, evr_error *err);

/**
 * Formats seconds since 1970 as ISO-8601 UTC ("2025-01-01T00:00:00Z") into `buffer`,
 * NUL-terminated. `size` must be at least 32 (EVR_E_ARGUMENT otherwise).
 */
evr_status evr_time_format(char *buffer, size_t size, int64_t time, evr_error *err);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* EVENTROUTER_H */
