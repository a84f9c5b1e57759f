/* Allocation check (run.sh runs it under valgrind with two event counts and compares valgrind's
 * "total heap usage: N allocs"): after warm-up, matching allocates nothing per event, through a
 * matcher (with its results read back) and through evr_ruleset_match with a callback. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eventrouter.h"

static int count_names(const char *name, size_t len, void *payload) {
    (void)name;
    *(size_t *)payload += len;
    return 0;
}

int main(int argc, char **argv) {
    const char *event = "{\"source\": \"shop\", \"detail-type\": \"Order\", \"detail\": {\"total\": 250, \"id\": \"o-17\", "
                        "\"tags\": [\"a\", \"b\"], \"customer\": {\"country\": \"DE\"}}}";
    long events = argc > 1 ? atol(argv[1]) : 100, i;
    evr_ruleset *set = NULL;
    evr_matcher *matcher = NULL;
    evr_error err;
    size_t count = 0, total = 0, k;
    evr_ruleset_new(&set, NULL, &err);
    evr_ruleset_add(set, "source", EVR_NTS, "{\"source\": [\"shop\"]}", EVR_NTS, &err);
    evr_ruleset_add(set, "total", EVR_NTS, "{\"detail\": {\"total\": [{\"numeric\": [\">\", 100]}]}}", EVR_NTS, &err);
    evr_ruleset_add(set, "eu", EVR_NTS, "{\"detail\": {\"customer\": {\"country\": [\"DE\", \"FR\"]}}}", EVR_NTS, &err);
    evr_ruleset_add(set, "tag", EVR_NTS, "{\"detail\": {\"tags\": [{\"prefix\": \"b\"}]}}", EVR_NTS, &err);
    evr_matcher_new(&matcher, set, &err);
    /* Warm-up: scratch buffers and pools reach their size. */
    for (i = 0; i < 50; i++) {
        evr_matcher_match(&count, matcher, event, strlen(event), &err);
        evr_ruleset_match(&count, set, event, strlen(event), count_names, &total, &err);
    }
    for (i = 0; i < events; i++) {
        const char *name;
        size_t len;
        if (evr_matcher_match(&count, matcher, event, strlen(event), &err) != EVR_OK || count != 4) return 1;
        for (k = 0; k < count; k++) {
            if (evr_matcher_result(&name, &len, matcher, k, &err) != EVR_OK) return 1;
            total += len;
        }
        if (evr_ruleset_match(&count, set, event, strlen(event), count_names, &total, &err) != EVR_OK || count != 4) return 1;
    }
    evr_matcher_free(matcher);
    evr_ruleset_free(set);
    printf("%ld events, %zu name bytes\n", events, total);
    return 0;
}
