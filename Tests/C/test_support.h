/* A minimal test harness for the C suites: TEST functions, CHECK macros, a closing
 * "N passed, N failed" line. Also a raw JSON member extractor for the fixture lines. */
#ifndef EVR_TEST_SUPPORT_H
#define EVR_TEST_SUPPORT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eventrouter.h"

static int test_failed_checks;
static const char *test_current = "";

#define CHECK(cond)                                                                          \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            test_failed_checks++;                                                            \
            fprintf(stderr, "%s:%d: [%s] CHECK failed: %s\n", __FILE__, __LINE__, test_current, #cond); \
        }                                                                                    \
    } while (0)

/* Checks a status; on a mismatch prints the error's message (errp: an evr_error *, never NULL). */
#define CHECK_STATUS(expr, expected, errp)                                                   \
    do {                                                                                     \
        evr_status check_status_ = (expr);                                                   \
        if (check_status_ != (expected)) {                                                   \
            test_failed_checks++;                                                            \
            fprintf(stderr, "%s:%d: [%s] %s returned %d, expected %d (%s: %s)\n", __FILE__, __LINE__, \
                    test_current, #expr, (int)check_status_, (int)(expected), (errp)->code, (errp)->message);                                          \
        }                                                                                    \
    } while (0)

#define CHECK_OK(expr, errp) CHECK_STATUS(expr, EVR_OK, errp)

typedef void (*test_fn)(void);
typedef struct test_case {
    const char *name;
    test_fn fn;
} test_case;

static int run_tests(const char *suite, const test_case *tests, size_t count) {
    int passed = 0, failed = 0;
    size_t i;
    for (i = 0; i < count; i++) {
        int before = test_failed_checks;
        test_current = tests[i].name;
        tests[i].fn();
        if (test_failed_checks == before) {
            passed++;
            printf("ok   %s\n", tests[i].name);
        } else {
            failed++;
            printf("FAIL %s\n", tests[i].name);
        }
        fflush(stdout);
    }
    printf("%s: %d passed, %d failed\n", suite, passed, failed);
    return failed == 0 ? 0 : 1;
}

#ifdef EVR_TEST_RAW_JSON
/* Skips one JSON value starting at p (no validation: the fixtures are well-formed). */
static const char *skip_json_value(const char *p) {
    int depth = 0;
    do {
        if (*p == '"') {
            p++;
            while (*p && *p != '"') {
                if (*p == '\\' && p[1]) p++;
                p++;
            }
            if (*p) p++;
        } else if (*p == '{' || *p == '[') {
            depth++;
            p++;
        } else if (*p == '}' || *p == ']') {
            depth--;
            p++;
        } else if (depth == 0) {
            while (*p && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\n') p++;
        } else {
            p++;
        }
        while (depth > 0 && *p == ' ') p++;
    } while (depth > 0 && *p);
    return p;
}

/* Finds a top-level member of a one-line JSON object and returns its raw value text. */
static int raw_member(const char *line, const char *key, const char **start, size_t *length) {
    const char *p = line;
    size_t key_len = strlen(key);
    while (*p && *p != '{') p++;
    if (!*p) return 0;
    p++;
    for (;;) {
        const char *k;
        while (*p == ' ' || *p == ',' || *p == '\n' || *p == '\t') p++;
        if (*p != '"') return 0;
        k = p + 1;
        p = skip_json_value(p);
        while (*p == ' ' || *p == ':') p++;
        if ((size_t)(p - k) >= key_len + 1 && strncmp(k, key, key_len) == 0 && k[key_len] == '"') {
            const char *end = skip_json_value(p);
            *start = p;
            *length = (size_t)(end - p);
            return 1;
        }
        p = skip_json_value(p);
    }
}
#endif /* EVR_TEST_RAW_JSON */

#endif
