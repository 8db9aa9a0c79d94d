#!/usr/bin/env python3
"""Draws offered vs committed TPS for Salus and kvstore from `salusd bench --e2e --json` output."""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(results_path: str, png_path: str) -> None:
    with open(results_path) as f:
        r = json.load(f)
    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=120)
    for name, key, marker in (("Salus", "salus", "o"), ("CometBFT kvstore (ceiling)", "kvstore", "s")):
        offered = [s["offered_tps"] for s in r[key]]
        committed = [s["committed_tps"] for s in r[key]]
        ax.plot(offered, committed, marker=marker, label=name)
    top = max(s["offered_tps"] for s in r["salus"])
    ax.plot([0, top], [0, top], linestyle=":", color="grey", label="committed = offered")
    ax.set_xlabel("offered load (tx/s)")
    ax.set_ylabel("committed (tx/s)")
    ax.set_title("Salus vs the consensus engine's ceiling, 1 validator")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(png_path)
    print(f"chart written to {png_path}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: bench_chart.py <results.json> <chart.png>")
    main(sys.argv[1], sys.argv[2])
