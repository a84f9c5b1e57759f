#!/usr/bin/env python3
"""Plots events/s against rule count from eventrouter-bench --scaling output.

Usage: python3 Benchmarks/plot_scaling.py RESULTS.jsonl OUTPUT.png [NOTE]
(NOTE, e.g. the machine and date, is added to the title.)
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main() -> None:
    results, output = sys.argv[1], sys.argv[2]
    note = sys.argv[3] if len(sys.argv) > 3 else ""
    exact = []
    others = []
    chunked = False
    for line in open(results):
        row = json.loads(line)
        if "eps_median" not in row:
            continue
        # eps_chunked (each chunk's fastest time) is steadier than the median pass on a shared
        # machine; older result files only have the pass statistics.
        rate = row.get("eps_chunked") or row["eps_median"]
        chunked = chunked or "eps_chunked" in row
        if row["workload"].startswith("scale-exact-"):
            exact.append((row["rules"], rate, row["eps_min"], row["eps_max"]))
        elif row["workload"].startswith("scale-"):
            others.append((row["workload"][len("scale-"):], row["rules"], rate))
    exact.sort()
    figure, axis = plt.subplots(figsize=(7, 4.2), dpi=120)
    counts = [row[0] for row in exact]
    axis.plot(counts, [row[1] / 1e6 for row in exact], marker="o", label="exact rules (" + ("fastest chunks" if chunked else "median pass") + "; band: slowest to fastest pass)")
    axis.fill_between(counts, [row[2] / 1e6 for row in exact], [row[3] / 1e6 for row in exact], alpha=0.2)
    for name, rules, eps in others:
        axis.scatter([rules], [eps / 1e6], marker="s")
        axis.annotate(name, (rules, eps / 1e6), textcoords="offset points", xytext=(6, -3), fontsize=8)
    axis.set_xscale("log")
    axis.set_xlabel("rules in the index")
    axis.set_ylabel("million events / s (one thread)")
    axis.set_ylim(bottom=0)
    axis.set_title("EventRouter RuleIndex: throughput against rule count\n(citylots2-synthetic, 213,068 events"
                   + (", " + note if note else "") + ")", fontsize=10)
    axis.grid(True, which="both", alpha=0.3)
    axis.legend(loc="center left", fontsize=8)
    figure.tight_layout()
    figure.savefig(output)


if __name__ == "__main__":
    main()
