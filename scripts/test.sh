#!/usr/bin/env bash
# Runs the whole Salus test suite: installs what is missing, builds salusd, then unit, scenario and
# end-to-end tests (real CometBFT), and the cosmjs compatibility test. Nothing is skipped: a
# missing tool fails the run with the command that installs it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\033[1m[test]\033[0m %s\n' "$*"; }

bash scripts/install.sh
say "building salusd and the tests (a cold build compiles RocksDB: about 10 minutes on 2 cores)"
cargo build --workspace --all-targets
say "format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
say "unit, scenario and end-to-end tests"
cargo test --workspace --no-fail-fast -- --test-threads 2
say "cosmjs: an unmodified SigningStargateClient against a real chain"
(cd tests/cosmjs && node --test cosmjs.test.mjs)
