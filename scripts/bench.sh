#!/usr/bin/env bash
# Runs the benchmarks (in process, and end to end against CometBFT's kvstore) and appends the
# tables, with the date and machine facts, to docs/BENCHMARKS.md; draws docs/benchmarks.png.
#   scripts/bench.sh [salusd bench options]     e.g. --rates 500,1000,2000 --seconds 10
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/install.sh
if ! python3 -c "import matplotlib" 2>/dev/null; then
  echo "[bench] installing matplotlib (PyPI) for the chart"
  python3 -m pip install --quiet matplotlib
fi
cargo build --bin salusd
mkdir -p target
COMETBFT_BIN="$ROOT/bin/cometbft" target/debug/salusd bench --e2e --record docs/BENCHMARKS.md --json target/bench-e2e.json "$@"
python3 scripts/bench_chart.py target/bench-e2e.json docs/benchmarks.png
