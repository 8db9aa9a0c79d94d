#!/usr/bin/env bash
# Runs the whole Salus test suite: installs what is missing, builds salusd, then unit, scenario and
# end-to-end tests (real CometBFT), and the cosmjs compatibility test. Nothing is skipped: a
# missing tool fails the run with the command that installs it. Each tier's time is printed at
# the end.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\033[1m[test]\033[0m %s\n' "$*"; }

tiers=()
tier() {
  local name="$1"; shift
  local start=$SECONDS
  "$@"
  tiers+=("$(printf '%-28s %4ds' "$name" $((SECONDS - start)))")
}
report() {
  say "time per tier:"
  for t in "${tiers[@]}"; do printf '  %s\n' "$t"; done
}
trap report EXIT

tier "install" bash scripts/install.sh
say "building salusd and the tests (a cold build compiles RocksDB: about 10 minutes on 2 cores)"
build() {
  # A release with the test upgrade's handler, for the end-to-end upgrade test (tests/tests/governance.rs);
  # built first so that target/debug/salusd is the ordinary binary afterwards.
  cargo build --bin salusd --features salus-node/test-upgrade
  cp target/debug/salusd target/debug/salusd-test-upgrade
  cargo build --workspace --all-targets
}
tier "build" build
say "format and lints"
tier "format" cargo fmt --all -- --check
tier "clippy" cargo clippy --workspace --all-targets -- -D warnings
say "unit, scenario and end-to-end tests"
tier "rust tests" cargo test --workspace --no-fail-fast -- --test-threads 2
say "cosmjs: an unmodified SigningStargateClient against a real chain"
tier "cosmjs" bash -c 'cd tests/cosmjs && node --test cosmjs.test.mjs'
