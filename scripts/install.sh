#!/usr/bin/env bash
# Installs what a fresh machine lacks to build and run Salus. Idempotent: each step checks first.
#   - Debian packages: clang + libclang-dev (librocksdb-sys compiles RocksDB and runs bindgen)
#   - CometBFT, pinned, built with `go install` into ./bin (git-ignored)
#   - Node packages for the cosmjs compatibility test (tests/cosmjs), from package-lock.json
set -euo pipefail

COMETBFT_VERSION="${COMETBFT_VERSION:-v0.38.26}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/bin"
mkdir -p "$BIN"

say() { printf '\033[1m[install]\033[0m %s\n' "$*"; }

need_apt=()
for pkg in clang libclang-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  say "apt packages missing: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
  say "apt packages installed"
else
  say "apt packages present (clang, libclang-dev)"
fi

if [ -x "$BIN/cometbft" ] && "$BIN/cometbft" version 2>/dev/null | grep -qx "${COMETBFT_VERSION#v}"; then
  say "CometBFT ${COMETBFT_VERSION} present in bin/"
else
  command -v go >/dev/null || { echo "Go is required to build CometBFT: install Go >= 1.22 and re-run" >&2; exit 1; }
  say "building CometBFT ${COMETBFT_VERSION} with go install (a minute or two)"
  GOBIN="$BIN" go install "github.com/cometbft/cometbft/cmd/cometbft@${COMETBFT_VERSION}"
  say "CometBFT $("$BIN/cometbft" version) installed in bin/"
fi

if [ -f "$ROOT/tests/cosmjs/package-lock.json" ]; then
  if [ -d "$ROOT/tests/cosmjs/node_modules/@cosmjs/stargate" ]; then
    say "cosmjs test packages present"
  else
    command -v npm >/dev/null || { echo "npm is required for the cosmjs test: install Node.js >= 18 and re-run" >&2; exit 1; }
    say "installing cosmjs test packages (npm ci)"
    (cd "$ROOT/tests/cosmjs" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
say "done"
