#!/bin/bash
# Compares two builds of eventrouter-bench fairly: each run uses a fresh copy of its binary (the
# same binary file can run 10-15% slower or faster than a fresh copy of the same bytes), copies of
# A and B alternate, and the median over the copies is reported per workload.
#
# usage: Benchmarks/compare.sh BIN_A BIN_B [WORKLOADS (default W1,W6)] [COPIES (default 4)]
# env:   DATA (default ../shared/data/citylots2-synthetic.json.gz), RULES (default ../shared/data/workloads)
set -euo pipefail
a=$1; b=$2; only=${3:-W1,W6}; copies=${4:-4}
data=${DATA:-../shared/data/citylots2-synthetic.json.gz}
rules=${RULES:-../shared/data/workloads}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for copy in $(seq 1 "$copies"); do
  for side in A B; do
    source=$a; [ "$side" = B ] && source=$b
    cp "$source" "$work/bench"
    "$work/bench" --data "$data" --workloads "$rules" --only "$only" --passes 3 |
      sed -n 's/.*"workload":"\([^"]*\)".*"eps_median":\([0-9]*\).*/\1 \2/p' |
      while read -r workload eps; do echo "$side $workload $eps"; done >> "$work/results"
    rm "$work/bench"
  done
done
sort -k1,1 -k2,2 -k3,3n "$work/results" | awk '
  { key = $1 " " $2; values[key] = values[key] " " $3; count[key]++ }
  END {
    for (key in values) {
      n = split(substr(values[key], 2), v, " ")
      printf "%s  median %.2fM  runs", key, v[int((n + 1) / 2)] / 1e6
      for (i = 1; i <= n; i++) printf " %.2f", v[i] / 1e6
      printf "\n"
    }
  }' | sort -k2,2 -k1,1
