#!/usr/bin/env bash
# Runs the benchmark and appends its table, with the date and machine facts, to docs/BENCHMARKS.md.
#   scripts/bench.sh [salusd bench options]     e.g. --txs 50000 --block-size 2000
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/install.sh
cargo build --bin salusd
target/debug/salusd bench --record docs/BENCHMARKS.md "$@"
