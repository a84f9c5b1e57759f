/* Two threads match (one with its own evr_matcher, one with evr_ruleset_match) while a third
 * adds and removes rules. Every result must be a consistent rule set: the stable rules always
 * match, changing rules come and go whole, nothing crashes. Bounded by iteration counts. */
#include <pthread.h>
#include <stdint.h>

#include "test_support.h"

#define EVENTS_PER_READER 20000
#define WRITER_CHANGES 400

static evr_ruleset *set;
static volatile int writer_done;   /* readers keep going until the writer is done (bounded) */
static const char *event = "{\"source\": \"shop\", \"detail-type\": \"Order\", \"detail\": {\"total\": 250, \"id\": \"o-17\"}}";

typedef struct {
    int errors;
    long matches;
    int saw_temp;
} reader_result;

static int check_name(const char *name, size_t len, void *payload) {
    reader_result *result = (reader_result *)payload;
    if (strncmp(name, "temp-", 5) == 0) result->saw_temp = 1;
    else if (strcmp(name, "stable-source") != 0 && strcmp(name, "stable-total") != 0) result->errors++;
    if (strlen(name) != len) result->errors++;
    return 0;
}

static void *matcher_reader(void *arg) {
    reader_result *result = (reader_result *)arg;
    evr_matcher *matcher = NULL;
    evr_error err;
    int i;
    if (evr_matcher_new(&matcher, set, &err) != EVR_OK) {
        result->errors++;
        return NULL;
    }
    for (i = 0; (i < EVENTS_PER_READER || !writer_done) && i < 50 * EVENTS_PER_READER; i++) {
        size_t count = 0, k, stable = 0;
        if (evr_matcher_match(&count, matcher, event, strlen(event), &err) != EVR_OK) {
            result->errors++;
            continue;
        }
        for (k = 0; k < count; k++) {
            const char *name = NULL;
            size_t len = 0;
            if (evr_matcher_result(&name, &len, matcher, k, &err) != EVR_OK) result->errors++;
            else {
                if (strncmp(name, "stable-", 7) == 0) stable++;
                check_name(name, len, result);
            }
        }
        if (stable != 2) result->errors++;
        result->matches += (long)count;
    }
    evr_matcher_free(matcher);
    return NULL;
}

static void *callback_reader(void *arg) {
    reader_result *result = (reader_result *)arg;
    evr_error err;
    int i;
    for (i = 0; (i < EVENTS_PER_READER || !writer_done) && i < 50 * EVENTS_PER_READER; i++) {
        size_t count = 0;
        if (evr_ruleset_match(&count, set, event, strlen(event), check_name, result, &err) != EVR_OK) result->errors++;
        if (count < 2) result->errors++;
        result->matches += (long)count;
    }
    return NULL;
}

static void *writer(void *arg) {
    int *errors = (int *)arg;
    evr_error err;
    int i;
    char name[32], pattern[128];
    for (i = 0; i < WRITER_CHANGES; i++) {
        snprintf(name, sizeof name, "temp-%d", i);
        snprintf(pattern, sizeof pattern, "{\"detail\": {\"total\": [{\"numeric\": [\">\", %d]}]}}", i % 300);
        if (evr_ruleset_add(set, name, EVR_NTS, pattern, EVR_NTS, &err) != EVR_OK) (*errors)++;
        if (i >= 3) {
            snprintf(name, sizeof name, "temp-%d", i - 3);
            if (evr_ruleset_remove(set, name, EVR_NTS, &err) != EVR_OK) (*errors)++;
        }
    }
    writer_done = 1;
    return NULL;
}

/* Two threads on ONE matcher is a caller error: each call must either work or say EVR_E_BUSY. */
static evr_matcher *shared_matcher;
static void *misuse(void *arg) {
    int *bad = (int *)arg;
    evr_error err;
    int i;
    for (i = 0; i < 20000; i++) {
        size_t count = 0;
        evr_status status = evr_matcher_match(&count, shared_matcher, event, strlen(event), &err);
        if (status != EVR_OK && status != EVR_E_BUSY) (*bad)++;
    }
    return NULL;
}

static void test_readers_and_writer(void) {
    pthread_t a, b, w;
    reader_result ra = {0, 0, 0}, rb = {0, 0, 0};
    int writer_errors = 0;
    evr_error err;
    size_t count = 0;
    CHECK_OK(evr_ruleset_new(&set, NULL, &err), &err);
    CHECK_OK(evr_ruleset_add(set, "stable-source", EVR_NTS, "{\"source\": [\"shop\"]}", EVR_NTS, &err), &err);
    CHECK_OK(evr_ruleset_add(set, "stable-total", EVR_NTS, "{\"detail\": {\"total\": [{\"numeric\": [\">=\", 100]}]}}", EVR_NTS, &err), &err);
    CHECK(pthread_create(&a, NULL, matcher_reader, &ra) == 0);
    CHECK(pthread_create(&b, NULL, callback_reader, &rb) == 0);
    CHECK(pthread_create(&w, NULL, writer, &writer_errors) == 0);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    pthread_join(w, NULL);
    CHECK(ra.errors == 0 && rb.errors == 0 && writer_errors == 0);
    CHECK(ra.matches >= 2L * EVENTS_PER_READER && rb.matches >= 2L * EVENTS_PER_READER);
    CHECK_OK(evr_ruleset_count(&count, set, &err), &err);
    CHECK(count == 2 + 3);
    printf("     readers saw %ld and %ld matches (temporary rules seen: %d, %d)\n", ra.matches, rb.matches, ra.saw_temp, rb.saw_temp);
    evr_ruleset_free(set);
}

static void test_shared_matcher_is_refused_not_corrupted(void) {
    pthread_t a, b;
    int bad_a = 0, bad_b = 0;
    evr_error err;
    CHECK_OK(evr_ruleset_new(&set, NULL, &err), &err);
    CHECK_OK(evr_ruleset_add(set, "s", EVR_NTS, "{\"source\": [\"shop\"]}", EVR_NTS, &err), &err);
    CHECK_OK(evr_matcher_new(&shared_matcher, set, &err), &err);
    CHECK(pthread_create(&a, NULL, misuse, &bad_a) == 0);
    CHECK(pthread_create(&b, NULL, misuse, &bad_b) == 0);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    CHECK(bad_a == 0 && bad_b == 0);
    evr_matcher_free(shared_matcher);
    evr_ruleset_free(set);
}

/* Freeing a set while other threads match on it: they finish their calls, then get EVR_E_HANDLE. */
static void *match_until_gone(void *arg) {
    int *bad = (int *)arg;
    evr_error err;
    int i;
    for (i = 0; i < 200000; i++) {
        size_t count = 0;
        evr_status status = evr_ruleset_match(&count, set, event, strlen(event), NULL, NULL, &err);
        if (status == EVR_E_HANDLE) return NULL;
        if (status != EVR_OK || count != 1) (*bad)++;
    }
    return NULL;
}

static void test_free_while_matching(void) {
    pthread_t a;
    int bad = 0;
    evr_error err;
    size_t count = 0;
    CHECK_OK(evr_ruleset_new(&set, NULL, &err), &err);
    CHECK_OK(evr_ruleset_add(set, "s", EVR_NTS, "{\"source\": [\"shop\"]}", EVR_NTS, &err), &err);
    CHECK(pthread_create(&a, NULL, match_until_gone, &bad) == 0);
    /* Let the reader get going: match a few times here first (no sleeping). */
    {
        int i;
        for (i = 0; i < 2000; i++) evr_ruleset_match(&count, set, event, strlen(event), NULL, NULL, &err);
    }
    evr_ruleset_free(set);
    pthread_join(a, NULL);
    CHECK(bad == 0);
}

int main(void) {
    static const test_case tests[] = {
        {"two_readers_one_writer", test_readers_and_writer},
        {"shared_matcher_is_refused_not_corrupted", test_shared_matcher_is_refused_not_corrupted},
        {"free_while_matching", test_free_while_matching},
    };
    return run_tests("c-threads", tests, sizeof tests / sizeof tests[0]);
}
