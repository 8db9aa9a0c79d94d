#!/usr/bin/env bash
# A single-validator Salus chain on this machine: real CometBFT, salusd with embedded RocksDB.
#
#   scripts/local.sh start    install what is missing, build, create the chain if needed, start it
#   scripts/local.sh stop     stop both processes (by the PIDs recorded at start)
#   scripts/local.sh status   is it running, latest height and app hash
#   scripts/local.sh logs     follow both logs
#   scripts/local.sh reset    stop and delete the chain's home
#
# The chain lives in localnet/.homes/single (git-ignored); override with SALUS_LOCAL_HOME.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOME_DIR="${SALUS_LOCAL_HOME:-$ROOT/localnet/.homes/single}"
CHAIN_ID="${SALUS_CHAIN_ID:-salus-local-1}"
SALUSD="$ROOT/target/debug/salusd"
COMETBFT="$ROOT/bin/cometbft"
RUN="$HOME_DIR/run"

say() { printf '\033[1m[local]\033[0m %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

alive() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

height() {
  curl -fsS "http://127.0.0.1:26657/status" 2>/dev/null | python3 -c 'import json,sys; s=json.load(sys.stdin)["result"]["sync_info"]; print(s["latest_block_height"], s["latest_app_hash"])' 2>/dev/null || true
}

stop() {
  local any=0
  for p in cometbft salusd; do
    if alive "$p"; then
      kill "$(cat "$RUN/$p.pid")" 2>/dev/null || true
      for _ in $(seq 50); do alive "$p" || break; sleep 0.1; done
      alive "$p" && kill -9 "$(cat "$RUN/$p.pid")" 2>/dev/null || true
      say "stopped $p"; any=1
    fi
    rm -f "$RUN/$p.pid"
  done
  [ $any = 1 ] || say "nothing was running"
}

start() {
  bash "$ROOT/scripts/install.sh" --chain-only
  say "building salusd (the first build compiles RocksDB: about 10 minutes on 2 cores)"
  (cd "$ROOT" && cargo build --bin salusd)
  if alive salusd || alive cometbft; then die "the local chain is already running: scripts/local.sh stop first"; fi
  for port in 26656 26657 26658 9090; do
    port_busy "$port" && die "port $port on 127.0.0.1 is in use by another process: stop it first"
  done

  if [ ! -f "$HOME_DIR/config/genesis.json" ]; then
    say "creating chain $CHAIN_ID in $HOME_DIR"
    "$SALUSD" init local-validator --chain-id "$CHAIN_ID" --home "$HOME_DIR" >/dev/null
    # A minute to deposit and a minute to vote, so that a newcomer can try governance.
    python3 - "$HOME_DIR/config/genesis.json" <<'PY'
import json, sys
path = sys.argv[1]
genesis = json.load(open(path))
gov = genesis["app_state"].setdefault("gov", {}).setdefault("params", {})
gov.update(max_deposit_period_secs=60, voting_period_secs=60, expedited_voting_period_secs=30)
json.dump(genesis, open(path, "w"), indent=2)
PY
    "$SALUSD" keys add demo --home "$HOME_DIR" --output json > "$HOME_DIR/demo-key.json"
    DEMO=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["address"])' "$HOME_DIR/demo-key.json")
    "$SALUSD" genesis add-account "$DEMO" 1000000000000usalus --home "$HOME_DIR" >/dev/null
    say "bonding 100000000000usalus of demo's stake to this node (gentx)"
    "$SALUSD" genesis gentx demo 100000000000usalus --moniker local-validator --home "$HOME_DIR" >/dev/null
    "$SALUSD" genesis collect-gentxs --home "$HOME_DIR" >/dev/null
  fi
  DEMO=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["address"])' "$HOME_DIR/demo-key.json")
  MNEMONIC=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["mnemonic"])' "$HOME_DIR/demo-key.json")

  mkdir -p "$RUN"
  say "starting salusd (log: $RUN/salusd.log)"
  nohup "$SALUSD" start --home "$HOME_DIR" > "$RUN/salusd.log" 2>&1 &
  echo $! > "$RUN/salusd.pid"
  for _ in $(seq 100); do port_busy 26658 && break; alive salusd || break; sleep 0.1; done
  alive salusd || { tail -20 "$RUN/salusd.log"; die "salusd did not start (log above)"; }
  say "starting CometBFT $("$COMETBFT" version) (log: $RUN/cometbft.log)"
  nohup "$COMETBFT" start --home "$HOME_DIR" > "$RUN/cometbft.log" 2>&1 &
  echo $! > "$RUN/cometbft.pid"

  say "waiting for blocks"
  for _ in $(seq 120); do
    read -r h _ <<<"$(height)" || true
    [ -n "${h:-}" ] && [ "$h" -ge 2 ] && break
    alive cometbft || { tail -20 "$RUN/cometbft.log"; die "CometBFT stopped (log above)"; }
    alive salusd || { tail -20 "$RUN/salusd.log"; die "salusd stopped (log above)"; }
    sleep 0.5
  done
  read -r h app <<<"$(height)"
  [ -n "${h:-}" ] || die "no blocks after 60s: see $RUN/cometbft.log"
  cat <<MSG

Salus chain $CHAIN_ID is running: height $h, app hash $app

  CometBFT RPC   http://127.0.0.1:26657
  gRPC           127.0.0.1:9090
  ABCI           127.0.0.1:26658 (salusd)
  P2P            127.0.0.1:26656
  home           $HOME_DIR

Demo account (funded with 1000000000000usalus, 100000000000 of it bonded to the validator), key "demo":
  address   $DEMO
  mnemonic  $MNEMONIC

Try:
  $SALUSD query token balances $DEMO
  $SALUSD tx token send demo <salus1...address> 1000usalus --home $HOME_DIR --yes

Stop it with: scripts/local.sh stop      (logs: scripts/local.sh logs)
MSG
}

status() {
  for p in salusd cometbft; do
    if alive "$p"; then echo "$p: running (pid $(cat "$RUN/$p.pid"))"; else echo "$p: stopped"; fi
  done
  read -r h app <<<"$(height)" || true
  [ -n "${h:-}" ] && echo "height: $h  app hash: $app" || echo "RPC at 127.0.0.1:26657 does not answer"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  logs) tail -F "$RUN/salusd.log" "$RUN/cometbft.log" ;;
  reset) stop; rm -rf "$HOME_DIR"; say "deleted $HOME_DIR" ;;
  -h|--help|help|"") sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$1': use start, stop, status, logs or reset" ;;
esac
