/*
 * route_events: build events with jansson, route them through a rule set, print the matches.
 *
 *   make                       # uses pkg-config for eventrouter and jansson
 *   ./route_events
 *
 * One evr_matcher is reused for every event: after the first, matching allocates nothing.
 */
#include <eventrouter.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    const char *pattern;
} rules[] = {
    {"all-orders", "{\"source\": [\"shop\"], \"detail-type\": [\"OrderPlaced\"]}"},
    {"big-orders", "{\"source\": [\"shop\"], \"detail\": {\"total\": [{\"numeric\": [\">=\", 100]}]}}"},
    {"eu-customers", "{\"detail\": {\"customer\": {\"country\": [\"DE\", \"FR\", \"IT\"]}}}"},
    {"not-shipped", "{\"detail-type\": [{\"prefix\": \"Order\"}], \"detail\": {\"status\": [{\"anything-but\": \"shipped\"}]}}"},
};

static int fail(const char *what, const evr_error *err) {
    fprintf(stderr, "%s failed: %s (%s)\n", what, err->message, err->code);
    return 1;
}

int main(void) {
    static const struct {
        const char *type;
        double total;
        const char *country;
        const char *status;
    } orders[] = {
        {"OrderPlaced", 250.0, "DE", "new"},
        {"OrderPlaced", 20.5, "US", "new"},
        {"OrderShipped", 120.0, "FR", "shipped"},
        {"OrderCancelled", 80.0, "IT", "cancelled"},
    };
    evr_error err;
    evr_ruleset *set = NULL;
    evr_matcher *matcher = NULL;
    size_t i, k;

    if (evr_ruleset_new(&set, NULL, &err) != EVR_OK) return fail("evr_ruleset_new", &err);
    for (i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        if (evr_ruleset_add(set, rules[i].name, EVR_NTS, rules[i].pattern, EVR_NTS, &err) != EVR_OK)
            return fail(rules[i].name, &err);
    }
    /* An invalid pattern is refused with AWS's own message. */
    if (evr_ruleset_add(set, "broken", EVR_NTS, "{\"source\": \"shop\"}", EVR_NTS, &err) == EVR_E_PATTERN)
        printf("rejected 'broken': %s\n", err.message);

    if (evr_matcher_new(&matcher, set, &err) != EVR_OK) return fail("evr_matcher_new", &err);
    for (i = 0; i < sizeof orders / sizeof orders[0]; i++) {
        size_t count = 0;
        char *text;
        json_t *event = json_pack("{s:s, s:s, s:s, s:{s:s, s:f, s:s, s:{s:s}}}",
                                  "source", "shop", "detail-type", orders[i].type, "account", "123456789012",
                                  "detail", "id", "o-1", "total", orders[i].total, "status", orders[i].status,
                                  "customer", "country", orders[i].country);
        text = json_dumps(event, JSON_COMPACT);
        if (evr_matcher_match(&count, matcher, text, strlen(text), &err) != EVR_OK) return fail("evr_matcher_match", &err);
        printf("event %d (%s, %.2f, %s):", (int)i + 1, orders[i].type, orders[i].total, orders[i].country);
        for (k = 0; k < count; k++) {
            const char *name = NULL;
            if (evr_matcher_result(&name, NULL, matcher, k, &err) == EVR_OK) printf(" %s", name);
        }
        printf(count ? "\n" : " (no rule)\n");
        free(text);
        json_decref(event);
    }
    evr_matcher_free(matcher);
    evr_ruleset_free(set);
    return 0;
}
