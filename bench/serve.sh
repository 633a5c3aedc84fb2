#!/usr/bin/env bash
# The dashboard under load: `mamori serve` on the generated bench site (default 10,000 assets,
# 50,000 accounts, two recorded runs), then SESSIONS signed-in sessions (default 50) fetching
# the dashboard and findings pages for SECONDS (default 60) on loopback.
# Prints p50/p99 per page, requests/s, errors, and the server's memory idle and after the load.
# Usage: bench/serve.sh [ASSETS] [ACCOUNTS] [SESSIONS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
assets="${1:-10000}"; accounts="${2:-50000}"; sessions="${3:-50}"; seconds="${4:-60}"
work="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

cargo build --release --quiet -p mamori -p xtask
cargo run --release --quiet -p xtask -- gen-site "$work/site" --assets "$assets" --accounts "$accounts"
bin=target/release/mamori
db="$work/mamori.db"
"$bin" --db "$db" assess "$work/site" --as-of 2026-11-14 > /dev/null || true
"$bin" --db "$db" assess "$work/site" --as-of 2026-11-21 > /dev/null || true
findings=$("$bin" --db "$db" assess "$work/site" --as-of 2026-11-21 --no-store --format json | python3 -c "import json,sys;print(json.load(sys.stdin)['summary']['total'])")
echo "site: $assets assets, $accounts accounts; $findings findings in the latest run"
echo "bench-password-2026" | "$bin" --db "$db" user add bench --role staff --password-stdin > /dev/null

port=$(python3 -c "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])")
start=$(date +%s.%N)
"$bin" --db "$db" serve "$work/site" --listen "127.0.0.1:$port" 2> "$work/serve.log" &
pid=$!
until curl -s -o /dev/null "http://127.0.0.1:$port/login"; do sleep 0.1; done
ready=$(date +%s.%N)
python3 -c "print(f'start-up (reads the site folder): {$ready - $start:.2f} s')"
rss() { awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' "/proc/$pid/status"; }
# The first request computes the dashboard of the latest run; idle is measured after it.
curl -s -o /dev/null "http://127.0.0.1:$port/login"
echo "memory idle: $(rss)"
cargo run --release --quiet -p xtask -- serve-load "http://127.0.0.1:$port" bench bench-password-2026 1 3 > /dev/null
echo "memory idle after the first dashboard: $(rss)"
echo "one session (latency of a page on its own):"
cargo run --release --quiet -p xtask -- serve-load "http://127.0.0.1:$port" bench bench-password-2026 1 10
echo "$sessions sessions at once, no pause between requests (client and server share the machine):"
cargo run --release --quiet -p xtask -- serve-load "http://127.0.0.1:$port" bench bench-password-2026 "$sessions" "$seconds"
echo "memory after the load: $(rss)"
