/* The C API suite: every function, hostile input, the router with C function targets,
 * schedules, and the shared conformance fixtures (Tests/Fixtures/conformance/). */
#include <jansson.h>
#include <stdint.h>
#include <time.h>

#define EVR_TEST_RAW_JSON
#include "test_support.h"

#ifndef FIXTURES
#define FIXTURES "Tests/Fixtures/conformance"
#endif

/* ------------------------------------------------------------------------------------------ */

static void test_version(void) {
    int major = -1, minor = -1, patch = -1;
    const char *text = evr_version(&major, &minor, &patch);
    CHECK(text != NULL && strcmp(text, EVR_VERSION_STRING) == 0);
    CHECK(major == EVR_VERSION_MAJOR && minor == EVR_VERSION_MINOR && patch == EVR_VERSION_PATCH);
    CHECK(evr_version(NULL, NULL, NULL) == text);
    CHECK(EVR_VERSION_NUMBER == major * 10000 + minor * 100 + patch);
}

static void test_pattern_validate(void) {
    evr_error err;
    CHECK_OK(evr_pattern_validate("{\"source\": [\"aws.ec2\"]}", EVR_NTS, &err), &err);
    CHECK(err.status == EVR_OK && err.message[0] == 0 && err.offset == -1);
    CHECK_STATUS(evr_pattern_validate("{\"source\": []}", EVR_NTS, &err), EVR_E_PATTERN, &err);
    CHECK(strcmp(err.message, "Event pattern is not valid. Reason: Empty arrays are not allowed") == 0);
    CHECK(err.status == EVR_E_PATTERN);
    CHECK_STATUS(evr_pattern_validate("{\"source\": [", EVR_NTS, &err), EVR_E_PATTERN, &err);
    CHECK(strncmp(err.message, "Event pattern is not valid. Reason: ", 36) == 0);
    CHECK(err.offset >= 0);
    /* Length, not NUL, ends the input. */
    CHECK_OK(evr_pattern_validate("{\"a\": [1]}garbage", 10, &err), &err);
    /* err may be NULL. */
    CHECK(evr_pattern_validate("nope", 4, NULL) == EVR_E_PATTERN);
}

static void test_pattern_test(void) {
    evr_error err;
    int match = -1;
    const char *pattern = "{\"detail\": {\"state\": [{\"anything-but\": \"running\"}]}}";
    CHECK_OK(evr_pattern_test(&match, pattern, EVR_NTS, "{\"detail\": {\"state\": \"stopped\"}}", EVR_NTS, &err), &err);
    CHECK(match == 1);
    CHECK_OK(evr_pattern_test(&match, pattern, EVR_NTS, "{\"detail\": {\"state\": \"running\"}}", EVR_NTS, &err), &err);
    CHECK(match == 0);
    CHECK_STATUS(evr_pattern_test(&match, pattern, EVR_NTS, "[1, 2]", EVR_NTS, &err), EVR_E_JSON, &err);
    CHECK_STATUS(evr_pattern_test(&match, pattern, EVR_NTS, "{\"detail\": ", EVR_NTS, &err), EVR_E_JSON, &err);
    CHECK_STATUS(evr_pattern_test(&match, "{\"a\": 1}", EVR_NTS, "{}", EVR_NTS, &err), EVR_E_PATTERN, &err);
    CHECK(strstr(err.message, "Event pattern is not valid. Reason: ") == err.message);
    CHECK_STATUS(evr_pattern_test(NULL, pattern, EVR_NTS, "{}", EVR_NTS, &err), EVR_E_ARGUMENT, &err);
}

static int collect(const char *name, size_t len, void *payload) {
    char *buffer = (char *)payload;
    CHECK(strlen(name) == len);
    strcat(buffer, name);
    strcat(buffer, ";");
    return 0;
}

static int stop_after_first(const char *name, size_t len, void *payload) {
    (void)name;
    (void)len;
    (*(int *)payload)++;
    return 1;
}

static void test_ruleset(void) {
    evr_error err;
    evr_ruleset *set = NULL;
    size_t count = 99;
    char found[256] = "";
    int calls = 0;
    const char *event = "{\"source\": \"aws.ec2\", \"detail\": {\"size\": 700}}";

    CHECK_OK(evr_ruleset_new(&set, NULL, &err), &err);
    CHECK(set != NULL);
    CHECK_OK(evr_ruleset_add(set, "ec2", EVR_NTS, "{\"source\": [\"aws.ec2\"]}", EVR_NTS, &err), &err);
    CHECK_OK(evr_ruleset_add(set, "big", 3, "{\"detail\": {\"size\": [{\"numeric\": [\">\", 100]}]}}", EVR_NTS, &err), &err);
    CHECK_OK(evr_ruleset_add(set, "s3", EVR_NTS, "{\"source\": [\"aws.s3\"]}", EVR_NTS, &err), &err);
    CHECK_OK(evr_ruleset_count(&count, set, &err), &err);
    CHECK(count == 3);

    CHECK_OK(evr_ruleset_match(&count, set, event, strlen(event), collect, found, &err), &err);
    CHECK(count == 2);
    CHECK(strcmp(found, "ec2;big;") == 0);

    /* A second pattern under one name is an alternative (OR). */
    CHECK_OK(evr_ruleset_add(set, "s3", EVR_NTS, "{\"detail\": {\"size\": [700]}}", EVR_NTS, &err), &err);
    found[0] = 0;
    CHECK_OK(evr_ruleset_match(&count, set, event, EVR_NTS, collect, found, &err), &err);
    CHECK(count == 3 && strcmp(found, "ec2;big;s3;") == 0);

    /* The callback stops early; the count is still complete. */
    CHECK_OK(evr_ruleset_match(&count, set, event, EVR_NTS, stop_after_first, &calls, &err), &err);
    CHECK(calls == 1 && count == 3);
    /* Count only. */
    CHECK_OK(evr_ruleset_match(&count, set, event, EVR_NTS, NULL, NULL, &err), &err);
    CHECK(count == 3);

    CHECK_OK(evr_ruleset_remove(set, "big", EVR_NTS, &err), &err);
    CHECK_STATUS(evr_ruleset_remove(set, "big", EVR_NTS, &err), EVR_E_NOT_FOUND, &err);
    CHECK(strstr(err.message, "big") != NULL);
    found[0] = 0;
    CHECK_OK(evr_ruleset_match(&count, set, event, EVR_NTS, collect, found, &err), &err);
    CHECK(count == 2 && strcmp(found, "ec2;s3;") == 0);

    /* An invalid pattern leaves the set unchanged and carries AWS's message. */
    CHECK_STATUS(evr_ruleset_add(set, "bad", EVR_NTS, "{\"source\": \"aws.ec2\"}", EVR_NTS, &err), EVR_E_PATTERN, &err);
    CHECK(strcmp(err.message, "Event pattern is not valid. Reason: \"source\" must be an object or an array") == 0);
    CHECK_OK(evr_ruleset_count(&count, set, &err), &err);
    CHECK(count == 2);

    /* Events that are not JSON objects. */
    CHECK_STATUS(evr_ruleset_match(&count, set, "\"text\"", EVR_NTS, NULL, NULL, &err), EVR_E_JSON, &err);
    CHECK_STATUS(evr_ruleset_match(&count, set, "{\"source\": \"aws.ec2\"", EVR_NTS, NULL, NULL, &err), EVR_E_JSON, &err);
    CHECK(err.offset >= 0);
    evr_ruleset_free(set);
}

static void test_ruleset_options(void) {
    evr_error err;
    evr_ruleset *set = NULL;
    evr_ruleset_options options = EVR_RULESET_OPTIONS_INIT;
    size_t count = 0;
    char big[300];
    options.max_event_bytes = 256;
    CHECK_OK(evr_ruleset_new(&set, &options, &err), &err);
    CHECK_OK(evr_ruleset_add(set, "a", EVR_NTS, "{\"a\": [\"x\"]}", EVR_NTS, &err), &err);
    memset(big, ' ', sizeof big);
    memcpy(big, "{\"a\": \"x\"}", 10);
    CHECK_OK(evr_ruleset_match(&count, set, big, 256, NULL, NULL, &err), &err);
    CHECK(count == 1);
    CHECK_STATUS(evr_ruleset_match(&count, set, big, sizeof big, NULL, NULL, &err), EVR_E_LIMIT, &err);
    evr_ruleset_free(set);

    options.version = 99;
    set = (evr_ruleset *)&options;
    CHECK_STATUS(evr_ruleset_new(&set, &options, &err), EVR_E_ARGUMENT, &err);
    CHECK(set == NULL);
}

static void test_matcher(void) {
    evr_error err;
    evr_ruleset *set = NULL;
    evr_matcher *matcher = NULL;
    size_t count = 0, len = 0;
    const char *name = NULL;
    CHECK_OK(evr_ruleset_new(&set, NULL, &err), &err);
    CHECK_OK(evr_ruleset_add(set, "first", EVR_NTS, "{\"a\": [1]}", EVR_NTS, &err), &err);
    CHECK_OK(evr_ruleset_add(set, "second", EVR_NTS, "{\"b\": [{\"exists\": true}]}", EVR_NTS, &err), &err);
    CHECK_OK(evr_matcher_new(&matcher, set, &err), &err);

    CHECK_OK(evr_matcher_match(&count, matcher, "{\"a\": 1, \"b\": null}", EVR_NTS, &err), &err);
    CHECK(count == 2);
    CHECK_OK(evr_matcher_result(&name, &len, matcher, 0, &err), &err);
    CHECK(name != NULL && strcmp(name, "first") == 0 && len == 5);
    CHECK_OK(evr_matcher_result(&name, NULL, matcher, 1, &err), &err);
    CHECK(name != NULL && strcmp(name, "second") == 0);
    CHECK_STATUS(evr_matcher_result(&name, &len, matcher, 2, &err), EVR_E_ARGUMENT, &err);

    /* The matcher sees rule changes on its next match. */
    CHECK_OK(evr_ruleset_remove(set, "first", EVR_NTS, &err), &err);
    CHECK_OK(evr_matcher_match(&count, matcher, "{\"a\": 1, \"b\": null}", EVR_NTS, &err), &err);
    CHECK(count == 1);
    CHECK_OK(evr_matcher_result(&name, &len, matcher, 0, &err), &err);
    CHECK(strcmp(name, "second") == 0);

    /* After a failure the result list is empty. */
    CHECK_STATUS(evr_matcher_match(&count, matcher, "{", 1, &err), EVR_E_JSON, &err);
    CHECK_STATUS(evr_matcher_result(&name, &len, matcher, 0, &err), EVR_E_ARGUMENT, &err);

    /* The matcher keeps its rules after the set is freed. */
    evr_ruleset_free(set);
    CHECK_OK(evr_matcher_match(&count, matcher, "{\"b\": 1}", EVR_NTS, &err), &err);
    CHECK(count == 1);
    CHECK_STATUS(evr_matcher_new(&matcher, set, &err), EVR_E_HANDLE, &err);
    CHECK(matcher == NULL);
    evr_matcher_free(matcher);
}

static void test_hostile_input(void) {
    evr_error err;
    evr_ruleset *set = NULL, *freed = NULL;
    evr_matcher *matcher = NULL;
    evr_router *router = NULL;
    size_t count = 0;
    int match = 0;
    const char bad_utf8[] = "{\"a\": \"\xff\"}";
    const char bad_name[] = "n\xc3";
    char buffer[64];

    /* NULL where a pointer is required. */
    CHECK_STATUS(evr_ruleset_new(NULL, NULL, &err), EVR_E_ARGUMENT, &err);
    CHECK_STATUS(evr_pattern_validate(NULL, 3, &err), EVR_E_ARGUMENT, &err);
    CHECK_STATUS(evr_pattern_test(&match, "{}", EVR_NTS, NULL, 0, &err), EVR_E_ARGUMENT, &err);
    CHECK_STATUS(evr_ruleset_add(NULL, "a", 1, "{}", 2, &err), EVR_E_ARGUMENT, &err);
    CHECK_OK(evr_ruleset_new(&set, NULL, &err), &err);
    CHECK_STATUS(evr_ruleset_add(set, NULL, 1, "{\"a\": [1]}", EVR_NTS, &err), EVR_E_ARGUMENT, &err);
    CHECK_STATUS(evr_ruleset_add(set, "a", 1, NULL, 0, &err), EVR_E_ARGUMENT, &err);
    CHECK_STATUS(evr_ruleset_match(&count, set, NULL, 10, NULL, NULL, &err), EVR_E_ARGUMENT, &err);
    CHECK_STATUS(evr_ruleset_count(NULL, set, &err), EVR_E_ARGUMENT, &err);

    /* Impossible lengths: a negative number converted to size_t. */
    CHECK_STATUS(evr_ruleset_add(set, "a", (size_t)-2, "{}", 2, &err), EVR_E_ARGUMENT, &err);
    CHECK_STATUS(evr_ruleset_match(&count, set, "{}", (size_t)-5, NULL, NULL, &err), EVR_E_ARGUMENT, &err);
    CHECK_STATUS(evr_pattern_validate("{}", ~(size_t)0 - 1, &err), EVR_E_ARGUMENT, &err);

    /* Names: empty, with a NUL byte, not UTF-8. */
    CHECK_STATUS(evr_ruleset_add(set, "", 0, "{\"a\": [1]}", EVR_NTS, &err), EVR_E_ARGUMENT, &err);
    CHECK_STATUS(evr_ruleset_add(set, "a\0b", 3, "{\"a\": [1]}", EVR_NTS, &err), EVR_E_ARGUMENT, &err);
    CHECK_STATUS(evr_ruleset_add(set, bad_name, 2, "{\"a\": [1]}", EVR_NTS, &err), EVR_E_UTF8, &err);
    CHECK(err.offset == 1);

    /* Invalid UTF-8 in patterns and events, including in a value no rule reads. */
    CHECK_STATUS(evr_pattern_validate(bad_utf8, EVR_NTS, &err), EVR_E_UTF8, &err);
    CHECK(err.offset == 7 && strcmp(err.code, "invalidUTF8") == 0);
    CHECK_OK(evr_ruleset_add(set, "b", EVR_NTS, "{\"b\": [1]}", EVR_NTS, &err), &err);
    CHECK_STATUS(evr_ruleset_match(&count, set, bad_utf8, EVR_NTS, NULL, NULL, &err), EVR_E_UTF8, &err);
    CHECK_STATUS(evr_pattern_test(&match, "{\"b\": [1]}", EVR_NTS, bad_utf8, EVR_NTS, &err), EVR_E_UTF8, &err);

    /* Unknown, freed and mistyped handles. */
    CHECK_STATUS(evr_ruleset_count(&count, (evr_ruleset *)(uintptr_t)0x1230, &err), EVR_E_HANDLE, &err);
    CHECK_STATUS(evr_ruleset_count(&count, (evr_ruleset *)buffer, &err), EVR_E_HANDLE, &err);
    CHECK_OK(evr_ruleset_new(&freed, NULL, &err), &err);
    evr_ruleset_free(freed);
    CHECK_STATUS(evr_ruleset_add(freed, "a", 1, "{\"a\": [1]}", EVR_NTS, &err), EVR_E_HANDLE, &err);
    CHECK_STATUS(evr_ruleset_match(&count, freed, "{}", 2, NULL, NULL, &err), EVR_E_HANDLE, &err);
    CHECK(strcmp(err.code, "invalidHandle") == 0);
    evr_ruleset_free(freed);                 /* a second free is ignored */
    evr_ruleset_free(NULL);
    CHECK_STATUS(evr_router_now(NULL, (evr_router *)set, &err), EVR_E_ARGUMENT, &err);
    {
        int64_t now = 0;
        CHECK_STATUS(evr_router_now(&now, (evr_router *)set, &err), EVR_E_HANDLE, &err);
    }
    CHECK_STATUS(evr_matcher_match(&count, (evr_matcher *)set, "{}", 2, &err), EVR_E_HANDLE, &err);
    evr_router_free((evr_router *)set);      /* the wrong type: ignored, the set lives on */
    CHECK_OK(evr_ruleset_count(&count, set, &err), &err);
    CHECK_OK(evr_matcher_new(&matcher, set, &err), &err);
    evr_matcher_free(matcher);
    CHECK_STATUS(evr_matcher_match(&count, matcher, "{}", 2, &err), EVR_E_HANDLE, &err);

    /* Routers. */
    CHECK_OK(evr_router_new(&router, NULL, &err), &err);
    CHECK_STATUS(evr_router_advance(NULL, router, -1, &err), EVR_E_ARGUMENT, &err);
    CHECK_STATUS(evr_router_advance(NULL, router, INT64_MAX, &err), EVR_E_ARGUMENT, &err);
    CHECK_STATUS(evr_router_call(NULL, NULL, router, NULL, 0, "PutRule", EVR_NTS, NULL, 0, NULL, 0, NULL, 0, &err),
                 EVR_E_ARGUMENT, &err);
    CHECK_STATUS(evr_router_call(NULL, NULL, router, "events", EVR_NTS, "PutRule", EVR_NTS, NULL, 0, NULL, 0, "{\"Name\":", EVR_NTS, &err),
                 EVR_E_JSON, &err);
    CHECK_STATUS(evr_router_call(NULL, NULL, router, "events", EVR_NTS, "PutRule", EVR_NTS, NULL, 0, NULL, 0, bad_utf8, EVR_NTS, &err),
                 EVR_E_UTF8, &err);
    CHECK_STATUS(evr_router_create_function(NULL, NULL, router, NULL, 0, NULL, 0, "f", 1, NULL, NULL, &err), EVR_E_ARGUMENT, &err);
    evr_router_free(router);
    CHECK_STATUS(evr_router_run_until_idle(NULL, router, &err), EVR_E_HANDLE, &err);

    /* Options of an unknown version and clocks that do not exist. */
    {
        evr_router_options options = EVR_ROUTER_OPTIONS_INIT;
        options.clock = (evr_clock)7;
        CHECK_STATUS(evr_router_new(&router, &options, &err), EVR_E_ARGUMENT, &err);
        options.clock = EVR_CLOCK_MANUAL;
        options.start_time = -5;
        CHECK_STATUS(evr_router_new(&router, &options, &err), EVR_E_ARGUMENT, &err);
    }

    /* Schedules and time. */
    CHECK_STATUS(evr_schedule_validate("rate(5 minutes)", EVR_NTS, (evr_schedule_dialect)9, &err), EVR_E_ARGUMENT, &err);
    CHECK_STATUS(evr_schedule_next(NULL, &count, "rate(5 minutes)", EVR_NTS, 0, 3, NULL, 0, &err), EVR_E_ARGUMENT, &err);
    CHECK_STATUS(evr_schedule_next(NULL, &count, "rate(5 minutes)", EVR_NTS, 0, (size_t)-1, NULL, 0, &err), EVR_E_ARGUMENT, &err);
    CHECK_STATUS(evr_schedule_next(NULL, &count, "rate(5 minutes)", EVR_NTS, INT64_MIN, 0, NULL, 0, &err), EVR_E_ARGUMENT, &err);
    CHECK_STATUS(evr_time_format(buffer, 10, 0, &err), EVR_E_ARGUMENT, &err);
    CHECK_STATUS(evr_time_format(buffer, sizeof buffer, INT64_MAX, &err), EVR_E_ARGUMENT, &err);
    CHECK_STATUS(evr_time_format(NULL, 32, 0, &err), EVR_E_ARGUMENT, &err);

    /* err == NULL is always allowed. */
    CHECK(evr_ruleset_count(&count, freed, NULL) == EVR_E_HANDLE);
    evr_ruleset_free(set);
}

static void test_error_truncation(void) {
    /* A message longer than evr_error.message is cut at a character boundary and terminated. */
    evr_error err;
    evr_ruleset *set = NULL;
    static char name[3000];
    size_t i;
    for (i = 0; i + 2 < sizeof name; i += 2) {
        name[i] = (char)0xc3;     /* é */
        name[i + 1] = (char)0xa9;
    }
    name[i] = 0;
    CHECK_OK(evr_ruleset_new(&set, NULL, &err), &err);
    CHECK_STATUS(evr_ruleset_remove(set, name, EVR_NTS, &err), EVR_E_NOT_FOUND, &err);
    CHECK(strlen(err.message) < sizeof err.message);
    CHECK(strlen(err.message) > 900);
    /* The last byte is not the first byte of a cut character. */
    CHECK(((unsigned char)err.message[strlen(err.message) - 1]) != 0xc3);
    CHECK(sizeof err.message == EVR_ERROR_MESSAGE_SIZE && sizeof err.code == EVR_ERROR_CODE_SIZE);
    evr_ruleset_free(set);
}

/* ------------------------------------------------------------------------------------------ */
/* The router                                                                                 */

static char *call(evr_router *router, const char *service, const char *operation, const char *params, evr_status expected) {
    evr_error err;
    char *response = NULL;
    size_t length = 0;
    evr_status status = evr_router_call(&response, &length, router, service, EVR_NTS, operation, EVR_NTS, NULL, 0, NULL, 0,
                                        params, EVR_NTS, &err);
    if (status != expected) {
        test_failed_checks++;
        fprintf(stderr, "[%s] %s %s returned %d, expected %d (%s: %s)\n", test_current, service, operation, (int)status,
                (int)expected, err.code, err.message);
    }
    if (status == EVR_OK) CHECK(response != NULL && strlen(response) == length);
    else CHECK(response == NULL);
    return response;
}

static json_t *call_json(evr_router *router, const char *service, const char *operation, const char *params) {
    char *text = call(router, service, operation, params, EVR_OK);
    json_error_t jerr;
    json_t *value = text ? json_loads(text, 0, &jerr) : NULL;
    evr_string_free(text);
    CHECK(value != NULL);
    return value ? value : json_object();
}

typedef struct {
    int calls;
    int fail_first;
    int last_attempt;
    char last_input[512];
} function_state;

static int flaky_function(const evr_delivery *delivery, evr_delivery_failure *failure, void *payload) {
    function_state *state = (function_state *)payload;
    CHECK(strlen(delivery->input) == delivery->input_len);
    CHECK(strlen(delivery->target_arn) == delivery->target_arn_len);
    CHECK(strcmp(failure->code, "TARGET_ERROR") == 0 && failure->retriable == 1);
    state->calls++;
    state->last_attempt = delivery->attempt;
    snprintf(state->last_input, sizeof state->last_input, "%s", delivery->input);
    if (state->calls <= state->fail_first) {
        snprintf(failure->message, sizeof failure->message, "failure %d", state->calls);
        return 1;
    }
    return 0;
}

static void test_router_function_and_dlq(void) {
    evr_error err;
    evr_router *router = NULL;
    evr_router_options options = EVR_ROUTER_OPTIONS_INIT;
    function_state state = {0, 1000, 0, ""};
    char *arn = NULL;
    size_t arn_len = 0, attempts = 0;
    int64_t now = 0;
    json_t *response;
    char params[1024];

    options.use_seed = 1;
    options.seed = 7;
    CHECK_OK(evr_router_new(&router, &options, &err), &err);
    CHECK_OK(evr_router_now(&now, router, &err), &err);
    CHECK(now == 1735689600);

    CHECK_OK(evr_router_create_function(&arn, &arn_len, router, NULL, 0, NULL, 0, "flaky", EVR_NTS, flaky_function, &state, &err), &err);
    CHECK(arn != NULL && strcmp(arn, "arn:aws:lambda:us-east-1:123456789012:function:flaky") == 0 && arn_len == strlen(arn));

    response = call_json(router, "sqs", "CreateQueue", "{\"QueueName\": \"dlq\"}");
    CHECK(strcmp(json_string_value(json_object_get(response, "QueueArn")), "arn:aws:sqs:us-east-1:123456789012:dlq") == 0);
    json_decref(response);

    response = call_json(router, "events", "PutRule",
                         "{\"Name\": \"orders\", \"EventPattern\": \"{\\\"source\\\": [\\\"shop\\\"]}\"}");
    CHECK(strcmp(json_string_value(json_object_get(response, "RuleArn")), "arn:aws:events:us-east-1:123456789012:rule/orders") == 0);
    json_decref(response);

    snprintf(params, sizeof params,
             "{\"Rule\": \"orders\", \"Targets\": [{\"Id\": \"f\", \"Arn\": \"%s\", "
             "\"RetryPolicy\": {\"MaximumRetryAttempts\": 2}, "
             "\"DeadLetterConfig\": {\"Arn\": \"arn:aws:sqs:us-east-1:123456789012:dlq\"}}]}", arn);
    response = call_json(router, "events", "PutTargets", params);
    CHECK(json_integer_value(json_object_get(response, "FailedEntryCount")) == 0);
    json_decref(response);

    response = call_json(router, "events", "PutEvents",
                         "{\"Entries\": [{\"Source\": \"shop\", \"DetailType\": \"Order\", \"Detail\": \"{\\\"total\\\": 250}\"}]}");
    CHECK(json_integer_value(json_object_get(response, "FailedEntryCount")) == 0);
    json_decref(response);
    /* The first attempt happened during the call (manual clock, due now). */
    CHECK(state.calls == 1 && state.last_attempt == 1);
    CHECK(strstr(state.last_input, "\"total\":250") != NULL);

    CHECK_OK(evr_router_advance(&attempts, router, 3600, &err), &err);
    CHECK(attempts == 2);
    CHECK(state.calls == 3 && state.last_attempt == 3);
    CHECK_OK(evr_router_now(&now, router, &err), &err);
    CHECK(now == 1735689600 + 3600);

    response = call_json(router, "sqs", "ReceiveMessage", "{\"QueueUrl\": \"dlq\", \"MaxNumberOfMessages\": 10}");
    {
        json_t *messages = json_object_get(response, "Messages");
        CHECK(json_array_size(messages) == 1);
        if (json_array_size(messages) == 1) {
            const char *body = json_string_value(json_object_get(json_array_get(messages, 0), "Body"));
            CHECK(body != NULL && strstr(body, "\"total\":250") != NULL);
        }
    }
    json_decref(response);

    response = call_json(router, "router", "GetMetrics", "{\"RuleArn\": \"arn:aws:events:us-east-1:123456789012:rule/orders\"}");
    {
        char *text = json_dumps(response, JSON_COMPACT);
        CHECK(text != NULL && strstr(text, "\"InvocationsSentToDlq\":1") != NULL);
        free(text);
    }
    json_decref(response);

    /* A non-retriable failure goes to the DLQ at once. */
    evr_string_free(arn);
    CHECK_OK(evr_router_run_until_idle(&attempts, router, &err), &err);
    CHECK(attempts == 0);
    evr_router_free(router);
}

static void test_router_errors(void) {
    evr_error err;
    evr_router *router = NULL;
    char *response = (char *)"untouched";
    CHECK_OK(evr_router_new(&router, NULL, &err), &err);
    CHECK_STATUS(evr_router_call(&response, NULL, router, "events", EVR_NTS, "DescribeRule", EVR_NTS, NULL, 0, NULL, 0,
                                 "{\"Name\": \"nope\"}", EVR_NTS, &err),
                 EVR_E_NOT_FOUND, &err);
    CHECK(response == NULL);
    CHECK(strcmp(err.code, "ResourceNotFoundException") == 0);
    CHECK(strcmp(err.message, "Rule nope does not exist on EventBus default.") == 0);
    CHECK_STATUS(evr_router_call(NULL, NULL, router, "events", EVR_NTS, "PutRule", EVR_NTS, NULL, 0, NULL, 0,
                                 "{\"Name\": \"r\", \"EventPattern\": \"{\\\"a\\\": 1}\"}", EVR_NTS, &err),
                 EVR_E_PATTERN, &err);
    CHECK(strcmp(err.code, "InvalidEventPatternException") == 0);
    CHECK(strstr(err.message, "Event pattern is not valid. Reason: ") != NULL);
    free(call(router, "events", "CreateEventBus", "{\"Name\": \"b\"}", EVR_OK));
    free(call(router, "events", "CreateEventBus", "{\"Name\": \"b\"}", EVR_E_ALREADY_EXISTS));
    CHECK_STATUS(evr_router_call(NULL, NULL, router, "events", EVR_NTS, "PutRule", EVR_NTS, "12345", EVR_NTS, NULL, 0,
                                 "{\"Name\": \"r\"}", EVR_NTS, &err),
                 EVR_E_VALIDATION, &err);
    free(call(router, "events", "Frobnicate", NULL, EVR_E_API));
    free(call(router, "events", "PutRule", "[]", EVR_E_VALIDATION));
    /* NULL params are {}; the account and region default. */
    {
        json_t *buses = call_json(router, "events", "ListEventBuses", NULL);
        CHECK(json_array_size(json_object_get(buses, "EventBuses")) == 2);
        json_decref(buses);
    }
    evr_router_free(router);
}

static int count_deliveries(const evr_delivery *delivery, evr_delivery_failure *failure, void *payload) {
    (void)delivery;
    (void)failure;
    (*(int *)payload)++;
    return 0;
}

static void test_router_schedule(void) {
    evr_error err;
    evr_router *router = NULL;
    int deliveries = 0;
    char *arn = NULL;
    char params[512];
    CHECK_OK(evr_router_new(&router, NULL, &err), &err);
    CHECK_OK(evr_router_create_function(&arn, NULL, router, "123456789012", EVR_NTS, "us-east-1", EVR_NTS, "tick", EVR_NTS,
                                        count_deliveries, &deliveries, &err), &err);
    free(call(router, "events", "PutRule", "{\"Name\": \"every5\", \"ScheduleExpression\": \"rate(5 minutes)\"}", EVR_OK));
    snprintf(params, sizeof params, "{\"Rule\": \"every5\", \"Targets\": [{\"Id\": \"t\", \"Arn\": \"%s\"}]}", arn);
    free(call(router, "events", "PutTargets", params, EVR_OK));
    CHECK_OK(evr_router_advance(NULL, router, 3600, &err), &err);
    CHECK(deliveries == 12);
    evr_string_free(arn);
    evr_router_free(router);
    /* After free, the callback is never called again (nothing else holds the router). */
}

static void test_router_system_clock(void) {
    evr_error err;
    evr_router *router = NULL;
    evr_router_options options = EVR_ROUTER_OPTIONS_INIT;
    int64_t now = 0;
    time_t before = time(NULL);
    options.clock = EVR_CLOCK_SYSTEM;
    CHECK_OK(evr_router_new(&router, &options, &err), &err);
    CHECK_OK(evr_router_now(&now, router, &err), &err);
    CHECK(now >= (int64_t)before && now <= (int64_t)time(NULL) + 1);
    CHECK_STATUS(evr_router_advance(NULL, router, 60, &err), EVR_E_ARGUMENT, &err);
    free(call(router, "events", "PutRule", "{\"Name\": \"r\", \"EventPattern\": \"{\\\"source\\\": [\\\"a\\\"]}\"}", EVR_OK));
    evr_router_free(router);
}

/* ------------------------------------------------------------------------------------------ */
/* Schedules and time                                                                         */

static void test_schedules(void) {
    evr_error err;
    int64_t times[8], after = 0;
    size_t count = 0;
    char text[32];
    CHECK_OK(evr_time_parse(&after, "2025-01-30T22:47:30Z", EVR_NTS, &err), &err);
    CHECK_OK(evr_schedule_next(times, &count, "cron(0 10 * * ? *)", EVR_NTS, after, 3, NULL, 0, &err), &err);
    CHECK(count == 3);
    CHECK_OK(evr_time_format(text, sizeof text, times[0], &err), &err);
    CHECK(strcmp(text, "2025-01-31T10:00:00Z") == 0);
    CHECK_OK(evr_time_format(text, sizeof text, times[2], &err), &err);
    CHECK(strcmp(text, "2025-02-02T10:00:00Z") == 0);

    /* Time zones: 02:30 does not exist in New York on 9 March 2025. */
    CHECK_OK(evr_time_parse(&after, "2025-03-08T00:00:00Z", EVR_NTS, &err), &err);
    CHECK_OK(evr_schedule_next(times, &count, "cron(30 2 * * ? *)", EVR_NTS, after, 2, "America/New_York", EVR_NTS, &err), &err);
    CHECK(count == 2);
    CHECK_OK(evr_time_format(text, sizeof text, times[1], &err), &err);
    CHECK(strcmp(text, "2025-03-10T06:30:00Z") == 0);
    CHECK_STATUS(evr_schedule_next(times, &count, "rate(1 hour)", EVR_NTS, after, 2, "Mars/Olympus", EVR_NTS, &err),
                 EVR_E_SCHEDULE, &err);
    CHECK(strcmp(err.code, "unknownTimeZone") == 0);

    /* A one-time schedule fires once. */
    CHECK_OK(evr_schedule_next(times, &count, "at(2025-06-01T09:00:00)", EVR_NTS, after, 8, NULL, 0, &err), &err);
    CHECK(count == 1);
    CHECK_OK(evr_schedule_next(NULL, &count, "rate(1 hour)", EVR_NTS, after, 0, NULL, 0, &err), &err);
    CHECK(count == 0);

    CHECK_OK(evr_schedule_validate("rate(1 hour)", EVR_NTS, EVR_SCHEDULE_RULE, &err), &err);
    CHECK_STATUS(evr_schedule_validate("rate(1 hours)", EVR_NTS, EVR_SCHEDULE_RULE, &err), EVR_E_SCHEDULE, &err);
    CHECK(strstr(err.message, "Rate unit") == err.message);
    CHECK_STATUS(evr_schedule_validate("cron(71 8 1 * ? *)", EVR_NTS, EVR_SCHEDULE_RULE, &err), EVR_E_SCHEDULE, &err);
    CHECK(strcmp(err.message, "Minutes: 71 is out of range 0-59") == 0 && strcmp(err.code, "valueOutOfRange") == 0);
    CHECK(err.offset == 5);
    CHECK_STATUS(evr_schedule_validate("at(2025-06-01T09:00:00)", EVR_NTS, EVR_SCHEDULE_RULE, &err), EVR_E_SCHEDULE, &err);
    CHECK_OK(evr_schedule_validate("at(2025-06-01T09:00:00)", EVR_NTS, EVR_SCHEDULE_SCHEDULER, &err), &err);

    CHECK_STATUS(evr_time_parse(&after, "yesterday", EVR_NTS, &err), EVR_E_SCHEDULE, &err);
    CHECK_OK(evr_time_format(text, sizeof text, 0, &err), &err);
    CHECK(strcmp(text, "1970-01-01T00:00:00Z") == 0);
}

/* ------------------------------------------------------------------------------------------ */
/* Conformance fixtures                                                                       */

static char *read_line(FILE *file) {
    size_t capacity = 4096, length = 0;
    char *line = malloc(capacity);
    int c;
    while ((c = fgetc(file)) != EOF && c != '\n') {
        if (length + 2 > capacity) line = realloc(line, capacity *= 2);
        line[length++] = (char)c;
    }
    if (c == EOF && length == 0) {
        free(line);
        return NULL;
    }
    line[length] = 0;
    return line;
}

/* Decodes a raw JSON string member with jansson. Returns a malloc'ed copy, or NULL. */
static char *string_member(const char *line, const char *key, size_t *out_len) {
    const char *raw;
    size_t raw_len;
    json_error_t jerr;
    json_t *value;
    char *copy = NULL;
    if (!raw_member(line, key, &raw, &raw_len) || raw[0] != '"') return NULL;
    value = json_loadb(raw, raw_len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (value && json_is_string(value)) {
        size_t length = json_string_length(value);
        copy = malloc(length + 1);
        memcpy(copy, json_string_value(value), length + 1);
        if (out_len) *out_len = length;
    }
    json_decref(value);
    return copy;
}

static int conformance_file(const char *name, int *cases) {
    char path[512];
    FILE *file;
    char *line;
    int failures = 0;
    evr_ruleset *set = NULL;
    evr_error err;
    snprintf(path, sizeof path, "%s/%s", FIXTURES, name);
    file = fopen(path, "r");
    CHECK(file != NULL);
    if (!file) return 1;
    CHECK_OK(evr_ruleset_new(&set, NULL, &err), &err);
    while ((line = read_line(file)) != NULL) {
        const char *pattern_raw, *event, *expect_raw;
        size_t pattern_raw_len, event_len, expect_len, pattern_len;
        char *pattern, *id, *message, *reason;
        json_t *expect;
        json_error_t jerr;
        int valid, has_match, expected_match = 0, match = -1;
        evr_status status;
        size_t count = 0;

        if (!raw_member(line, "pattern", &pattern_raw, &pattern_raw_len) || !raw_member(line, "event", &event, &event_len) ||
            !raw_member(line, "expect", &expect_raw, &expect_len)) {
            free(line);
            continue;
        }
        (*cases)++;
        id = string_member(line, "id", NULL);
        if (pattern_raw[0] == '"') {
            pattern = string_member(line, "pattern", &pattern_len);   /* a string is the raw pattern text */
        } else {
            pattern = malloc(pattern_raw_len + 1);
            memcpy(pattern, pattern_raw, pattern_raw_len);
            pattern[pattern_raw_len] = 0;
            pattern_len = pattern_raw_len;
        }
        expect = json_loadb(expect_raw, expect_len, 0, &jerr);
        valid = json_is_true(json_object_get(expect, "valid"));
        has_match = json_is_boolean(json_object_get(expect, "match"));
        if (has_match) expected_match = json_is_true(json_object_get(expect, "match"));
        message = string_member(line, "message", NULL);
        reason = string_member(line, "reason", NULL);

        status = evr_pattern_test(&match, pattern, pattern_len, event, event_len, &err);
        if (valid) {
            if (status != EVR_OK || !has_match || match != expected_match) {
                failures++;
                fprintf(stderr, "%s %s: status %d match %d, expected match %d (%s)\n", name, id, (int)status, match,
                        expected_match, err.message);
            }
        } else {
            int message_ok = 1;
            if (message) message_ok = strcmp(err.message, message) == 0;
            else if (reason) message_ok = strncmp(err.message, "Event pattern is not valid. Reason: ", 36) == 0 &&
                                          strcmp(err.message + 36, reason) == 0;
            if (status != EVR_E_PATTERN || !message_ok) {
                failures++;
                fprintf(stderr, "%s %s: status %d, message '%s'; expected an invalid pattern ('%s')\n", name, id, (int)status,
                        err.message, message ? message : reason ? reason : "");
            }
        }

        /* The same case through a rule set. */
        status = evr_ruleset_add(set, "case", 4, pattern, pattern_len, &err);
        if (valid) {
            if (status != EVR_OK) {
                failures++;
                fprintf(stderr, "%s %s: ruleset add failed: %s\n", name, id, err.message);
            } else {
                status = evr_ruleset_match(&count, set, event, event_len, NULL, NULL, &err);
                if (status != EVR_OK || (int)count != expected_match) {
                    failures++;
                    fprintf(stderr, "%s %s: ruleset match status %d count %d\n", name, id, (int)status, (int)count);
                }
                CHECK_OK(evr_ruleset_remove(set, "case", 4, &err), &err);
            }
        } else if (status != EVR_E_PATTERN) {
            failures++;
            fprintf(stderr, "%s %s: ruleset add returned %d for an invalid pattern\n", name, id, (int)status);
        }
        json_decref(expect);
        free(id);
        free(pattern);
        free(message);
        free(reason);
        free(line);
    }
    fclose(file);
    evr_ruleset_free(set);
    test_failed_checks += failures;
    return failures;
}

static void test_conformance_aws_observed(void) {
    int cases = 0;
    conformance_file("aws-observed.jsonl", &cases);
    CHECK(cases == 155);
}

static void test_conformance_patterns(void) {
    int cases = 0;
    conformance_file("patterns.jsonl", &cases);
    CHECK(cases == 2911);
}

static void test_conformance_schedules(void) {
    char path[512];
    FILE *file;
    char *line;
    int cases = 0, checked_times = 0;
    evr_error err;
    snprintf(path, sizeof path, "%s/schedules.jsonl", FIXTURES);
    file = fopen(path, "r");
    CHECK(file != NULL);
    if (!file) return;
    while ((line = read_line(file)) != NULL) {
        json_error_t jerr;
        json_t *c = json_loads(line, 0, &jerr);
        const char *expr = json_string_value(json_object_get(c, "expr"));
        json_t *expect = json_object_get(c, "expect");
        int valid = json_is_true(json_object_get(expect, "valid"));
        evr_status status = evr_schedule_validate(expr, EVR_NTS, EVR_SCHEDULE_RULE, &err);
        cases++;
        if ((status == EVR_OK) != valid) {
            test_failed_checks++;
            fprintf(stderr, "schedules %s: %s status %d\n", json_string_value(json_object_get(c, "id")), expr, (int)status);
        }
        if (valid && json_object_get(expect, "next")) {
            json_t *next = json_object_get(expect, "next");
            int64_t start = 0, times[16];
            size_t count = 0, i, n = (size_t)json_integer_value(json_object_get(c, "n"));
            CHECK_OK(evr_time_parse(&start, json_string_value(json_object_get(c, "start")), EVR_NTS, &err), &err);
            CHECK(n <= 16);
            CHECK_OK(evr_schedule_next(times, &count, expr, EVR_NTS, start, n, NULL, 0, &err), &err);
            CHECK(count == json_array_size(next));
            for (i = 0; i < count && i < json_array_size(next); i++) {
                char text[32];
                CHECK_OK(evr_time_format(text, sizeof text, times[i], &err), &err);
                if (strcmp(text, json_string_value(json_array_get(next, i))) != 0) {
                    test_failed_checks++;
                    fprintf(stderr, "schedules %s: time %d is %s\n", expr, (int)i, text);
                }
            }
            checked_times++;
        }
        json_decref(c);
        free(line);
    }
    fclose(file);
    CHECK(cases == 240);
    CHECK(checked_times > 50);

    snprintf(path, sizeof path, "%s/aws-observed-schedules.jsonl", FIXTURES);
    file = fopen(path, "r");
    CHECK(file != NULL);
    if (!file) return;
    cases = 0;
    while ((line = read_line(file)) != NULL) {
        json_error_t jerr;
        json_t *c = json_loads(line, 0, &jerr);
        const char *expr = json_string_value(json_object_get(c, "expr"));
        int valid = json_is_true(json_object_get(json_object_get(c, "expect"), "valid"));
        cases++;
        if ((evr_schedule_validate(expr, EVR_NTS, EVR_SCHEDULE_RULE, &err) == EVR_OK) != valid) {
            test_failed_checks++;
            fprintf(stderr, "aws-observed-schedules: %s\n", expr);
        }
        json_decref(c);
        free(line);
    }
    fclose(file);
    CHECK(cases == 40);
}

/* ------------------------------------------------------------------------------------------ */

static void test_pattern_tools(void) {
    evr_error err;
    char *out = NULL;
    size_t length = 0;
    const char *pattern = "{\"detail\": {\"total\": [{\"numeric\": [\">\", 100]}]}}";
    /* explain: the failing field, with its reason */
    CHECK_OK(evr_pattern_explain(&out, &length, pattern, EVR_NTS, "{\"detail\": {\"total\": \"300\"}}", EVR_NTS, &err), &err);
    CHECK(out != NULL && length == strlen(out));
    json_error_t jerr;
    json_t *why = json_loads(out, 0, &jerr);
    CHECK(why != NULL && json_is_false(json_object_get(why, "match")));
    json_t *field = json_array_get(json_object_get(json_array_get(json_object_get(why, "alternatives"), 0), "fields"), 0);
    CHECK(strcmp(json_string_value(json_object_get(field, "path")), "detail.total") == 0);
    CHECK(strstr(json_string_value(json_object_get(field, "reason")), "only JSON numbers match") != NULL);
    json_decref(why);
    evr_string_free(out);
    /* examples: each one's label agrees with evr_pattern_test */
    out = NULL;
    CHECK_OK(evr_pattern_examples(&out, NULL, pattern, EVR_NTS, 6, 9, &err), &err);
    json_t *items = json_loads(out, 0, &jerr);
    CHECK(json_is_array(items) && json_array_size(items) == 6);
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *item = json_array_get(items, i);
        char *event = json_dumps(json_object_get(item, "event"), JSON_COMPACT);
        int match = -1;
        CHECK_OK(evr_pattern_test(&match, pattern, EVR_NTS, event, EVR_NTS, &err), &err);
        CHECK(match == json_is_true(json_object_get(item, "match")));
        free(event);
    }
    json_decref(items);
    evr_string_free(out);
    /* edges and overlap */
    out = NULL;
    CHECK_OK(evr_pattern_edges(&out, NULL, pattern, EVR_NTS, "[{\"detail\": {\"total\": 150}}]", EVR_NTS, 200, 1, &err), &err);
    CHECK(strstr(out, "\"number-as-string\"") != NULL);
    evr_string_free(out);
    out = NULL;
    CHECK_OK(evr_patterns_overlap(&out, NULL, "{\"a\": {\"s\": [\"x\"]}, \"b\": {\"s\": [\"x\", \"y\"]}}", EVR_NTS, 0, 1, &err), &err);
    CHECK(strstr(out, "\"kind\":\"contains\",\"outer\":\"b\",\"inner\":\"a\"") != NULL);
    evr_string_free(out);
    /* errors: nothing returned */
    out = (char *)1;
    CHECK_STATUS(evr_patterns_overlap(&out, NULL, "{\"bad\": {\"s\": \"x\"}}", EVR_NTS, 0, 1, &err), EVR_E_PATTERN, &err);
    CHECK(out == NULL && strncmp(err.message, "rule bad: Event pattern is not valid.", 37) == 0);
    CHECK_STATUS(evr_pattern_examples(NULL, NULL, NULL, 0, 1, 1, &err), EVR_E_ARGUMENT, &err);
}

int main(void) {
    static const test_case tests[] = {
        {"version", test_version},
        {"pattern_validate", test_pattern_validate},
        {"pattern_test", test_pattern_test},
        {"pattern_tools", test_pattern_tools},
        {"ruleset", test_ruleset},
        {"ruleset_options", test_ruleset_options},
        {"matcher", test_matcher},
        {"hostile_input", test_hostile_input},
        {"error_truncation", test_error_truncation},
        {"router_function_and_dlq", test_router_function_and_dlq},
        {"router_errors", test_router_errors},
        {"router_schedule", test_router_schedule},
        {"router_system_clock", test_router_system_clock},
        {"schedules", test_schedules},
        {"conformance_aws_observed", test_conformance_aws_observed},
        {"conformance_patterns", test_conformance_patterns},
        {"conformance_schedules", test_conformance_schedules},
    };
    return run_tests("c-api", tests, sizeof tests / sizeof tests[0]);
}
