#!/usr/bin/env bash
# Builds every fuzzer (libFuzzer + ASan) and runs each for SECONDS (default 60) on its corpus.
#   fuzz/run.sh [SECONDS] [TARGET...]      e.g. fuzz/run.sh 120 pattern json
# New inputs go to a scratch corpus under .build-fuzz/corpus/<target> (the checked-in seed corpus in
# corpora/<target> is read, never written); crashes go to fuzz/artifacts/<target>/.
# Exit status is non-zero if any fuzzer found a crash.
set -uo pipefail
cd "$(dirname "$0")"
SECONDS_EACH=${1:-60}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(pattern match differential json schedule router transform policy services)
SCRATCH=.build-fuzz
export SWIFT_BACKTRACE=enable=no   # else Swift's crash handler produces a false ASan report first
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
# detect_leaks=0 (here and -detect_leaks=0 below): LeakSanitizer reports the checks' Swift globals (compiled rule set, generator tables)
# as leaked at exit, with an empty input; ARC code has no leaks worth a crash here.

dict_for() {
    case "$1" in
        pattern|match) cat dicts/json.dict dicts/pattern.dict ;;
        json) cat dicts/json.dict ;;
        schedule) cat dicts/schedule.dict ;;
        router) cat dicts/json.dict dicts/router.dict ;;
        transform) cat dicts/json.dict dicts/transform.dict ;;
        policy) cat dicts/json.dict dicts/policy.dict ;;
        services) cat dicts/json.dict dicts/services.dict ;;
        *) return 1 ;;
    esac
}

for t in "${TARGETS[@]}"; do
    swift build -c debug --product "fuzz-$t" --scratch-path "$SCRATCH" \
        -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address -Xswiftc -use-ld=lld \
        2>&1 | grep -E "error|warning: unre|Compiling|complete" | tail -3 || exit 1
done
BIN=$(swift build -c debug --scratch-path "$SCRATCH" --show-bin-path)

status=0
summary=()
for t in "${TARGETS[@]}"; do
    mkdir -p "artifacts/$t" "$SCRATCH/corpus/$t" "$SCRATCH/logs"
    dict=()
    if dict_for "$t" > "$SCRATCH/$t.dict"; then dict=(-dict="$SCRATCH/$t.dict"); fi
    log="$SCRATCH/logs/$t.log"
    echo "== fuzz-$t for ${SECONDS_EACH}s (log: fuzz/$log)"
    "$BIN/fuzz-$t" "$SCRATCH/corpus/$t" "corpora/$t" ${dict[@]+"${dict[@]}"} \
        -max_total_time="$SECONDS_EACH" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="artifacts/$t/" -print_final_stats=1 -detect_leaks=0 > "$log" 2>&1
    rc=$?
    [ $rc -ne 0 ] && status=1
    # libFuzzer's last status line, e.g. "#123456 DONE cov: 2345 ft: 6789 corp: 512/40Kb ..."
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' | tail -1)
    summary+=("$(printf '%-18s rc=%-3s execs=%-10s %s' "fuzz-$t" "$rc" "${execs:-?}" "$(echo "$last" | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [^ ]+')")")
    if [ $rc -ne 0 ]; then
        grep -E "Fatal error|ERROR: |SUMMARY|Test unit written" "$log" | head -5
    fi
done
echo
printf '%s\n' "${summary[@]}"
exit $status
