/*
 * Match throughput through the C API (make bench-c): one JSON line per configuration.
 * 200 rules of mixed operators, a ~1 KB event that 3 of them match.
 */
#define _POSIX_C_SOURCE 199309L
#include <eventrouter.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *event =
    "{\"version\":\"0\",\"id\":\"6a7e8feb-b491-4cf7-a9f1-bf3703467718\",\"detail-type\":\"EC2 Instance State-change Notification\","
    "\"source\":\"aws.ec2\",\"account\":\"111122223333\",\"time\":\"2025-01-01T12:00:00Z\",\"region\":\"us-east-1\","
    "\"resources\":[\"arn:aws:ec2:us-east-1:111122223333:instance/i-abcd1111\"],"
    "\"detail\":{\"instance-id\":\"i-abcd1111\",\"state\":\"stopped\",\"size\":742,\"tags\":{\"team\":\"payments\",\"env\":\"prod\"},"
    "\"network\":{\"ip\":\"10.0.3.17\",\"vpc\":\"vpc-0a1b2c3d\",\"subnets\":[\"subnet-1\",\"subnet-2\",\"subnet-3\"]},"
    "\"history\":[{\"at\":\"2025-01-01T11:00:00Z\",\"state\":\"running\"},{\"at\":\"2025-01-01T11:59:00Z\",\"state\":\"stopping\"}],"
    "\"notes\":\"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore "
    "magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.\","
    "\"owner\":{\"name\":\"Jane\",\"email\":\"jane@example.com\",\"groups\":[\"a\",\"b\",\"c\",\"d\"]}}}";

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static evr_ruleset *make_rules(int trusted) {
    evr_ruleset_options options = EVR_RULESET_OPTIONS_INIT;
    evr_ruleset *set = NULL;
    char name[32], pattern[256];
    int i;
    options.trusted_utf8 = trusted;
    evr_ruleset_new(&set, &options, NULL);
    for (i = 0; i < 200; i++) {
        snprintf(name, sizeof name, "rule-%d", i);
        switch (i % 5) {
        case 0: snprintf(pattern, sizeof pattern, "{\"source\": [\"aws.svc%d\"]}", i); break;
        case 1: snprintf(pattern, sizeof pattern, "{\"detail\": {\"size\": [{\"numeric\": [\">\", %d, \"<\", %d]}]}}", i * 10, i * 10 + 5); break;
        case 2: snprintf(pattern, sizeof pattern, "{\"detail\": {\"tags\": {\"team\": [{\"prefix\": \"team%d\"}]}}}", i); break;
        case 3: snprintf(pattern, sizeof pattern, "{\"detail-type\": [\"Type %d\"], \"detail\": {\"state\": [\"stopped\"]}}", i); break;
        default: snprintf(pattern, sizeof pattern, "{\"detail\": {\"network\": {\"ip\": [{\"cidr\": \"10.%d.0.0/16\"}]}}}", i); break;
        }
        evr_ruleset_add(set, name, EVR_NTS, pattern, EVR_NTS, NULL);
    }
    evr_ruleset_add(set, "hit-source", EVR_NTS, "{\"source\": [\"aws.ec2\"]}", EVR_NTS, NULL);
    evr_ruleset_add(set, "hit-state", EVR_NTS, "{\"detail\": {\"state\": [{\"anything-but\": \"running\"}]}}", EVR_NTS, NULL);
    evr_ruleset_add(set, "hit-ip", EVR_NTS, "{\"detail\": {\"network\": {\"ip\": [{\"cidr\": \"10.0.0.0/16\"}]}}}", EVR_NTS, NULL);
    return set;
}

static int ignore(const char *name, size_t len, void *payload) {
    (void)name;
    (void)len;
    ++*(long *)payload;
    return 0;
}

#define N 300000

static double run_matcher(evr_ruleset *set, size_t length) {
    evr_matcher *matcher = NULL;
    size_t count = 0;
    long i;
    double start;
    evr_matcher_new(&matcher, set, NULL);
    for (i = 0; i < 1000; i++) evr_matcher_match(&count, matcher, event, length, NULL);
    start = now();
    for (i = 0; i < N; i++) {
        if (evr_matcher_match(&count, matcher, event, length, NULL) != EVR_OK || count != 3) {
            fprintf(stderr, "unexpected result\n");
            exit(1);
        }
    }
    evr_matcher_free(matcher);
    return N / (now() - start);
}

typedef struct {
    evr_ruleset *set;
    double rate;
} thread_job;

static void *thread_main(void *arg) {
    thread_job *job = (thread_job *)arg;
    job->rate = run_matcher(job->set, strlen(event));
    return NULL;
}

int main(void) {
    size_t length = strlen(event), count = 0;
    evr_ruleset *set = make_rules(0), *trusted = make_rules(1);
    long matches = 0, i;
    double start, rate;
    thread_job jobs[2];
    pthread_t threads[2];

    printf("{\"bench\":\"matcher\",\"rules\":203,\"event_bytes\":%d,\"events_per_s\":%.0f}\n", (int)length, run_matcher(set, length));
    printf("{\"bench\":\"matcher_trusted_utf8\",\"rules\":203,\"event_bytes\":%d,\"events_per_s\":%.0f}\n", (int)length,
           run_matcher(trusted, length));

    start = now();
    for (i = 0; i < N; i++) evr_ruleset_match(&count, set, event, length, ignore, &matches, NULL);
    rate = N / (now() - start);
    printf("{\"bench\":\"ruleset_match_callback\",\"rules\":203,\"event_bytes\":%d,\"events_per_s\":%.0f}\n", (int)length, rate);

    for (i = 0; i < 2; i++) {
        jobs[i].set = set;
        pthread_create(&threads[i], NULL, thread_main, &jobs[i]);
    }
    for (i = 0; i < 2; i++) pthread_join(threads[i], NULL);
    printf("{\"bench\":\"matcher_2_threads\",\"rules\":203,\"event_bytes\":%d,\"events_per_s\":%.0f}\n", (int)length,
           jobs[0].rate + jobs[1].rate);
    evr_ruleset_free(set);
    evr_ruleset_free(trusted);
    return 0;
}
