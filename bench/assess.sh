#!/usr/bin/env bash
# Throughput of `mamori assess` on a generated site (default: 10,000 assets, 50,000 accounts).
# Usage: bench/assess.sh [ASSETS] [ACCOUNTS]
# Prints wall time per run and rows per second; uses hyperfine when installed.
set -euo pipefail
cd "$(dirname "$0")/.."
assets="${1:-10000}"
accounts="${2:-50000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet -p mamori
cargo run --release --quiet -p xtask -- gen-site "$work/site" --assets "$assets" --accounts "$accounts"
bin=target/release/mamori
rows=$((assets + accounts + accounts / 2 + 20))
bytes=$(cat "$work"/site/*.csv | wc -c)
echo "site: $assets assets, $accounts accounts, $((accounts / 2)) staff, 20 vendors ($rows rows, $bytes bytes of CSV)"

run() { "$bin" --db "$work/mamori.db" assess "$work/site" --as-of 2026-11-21 "$@" > /dev/null; }

# Without the store: read + check + render.
# With the store: also the SQLite transaction that records every finding.
for mode in no-store store; do
  flag=(); [ "$mode" = no-store ] && flag=(--no-store)
  if command -v hyperfine > /dev/null; then
    hyperfine --warmup 1 --runs 5 --export-json "$work/$mode.json" \
      "$bin --db $work/mamori.db assess $work/site --as-of 2026-11-21 ${flag[*]:-} --format json" > /dev/null
    mean=$(python3 -c "import json;print(json.load(open('$work/$mode.json'))['results'][0]['mean'])")
  else
    start=$(date +%s.%N); for _ in 1 2 3 4 5; do run "${flag[@]}" --format json; done; end=$(date +%s.%N)
    mean=$(python3 -c "print(($end - $start) / 5)")
  fi
  python3 -c "m=$mean; print(f'assess ({\"$mode\"}): {m:.3f} s per run, {$rows/m:,.0f} rows/s, {$bytes/m/1e6:.1f} MB/s')"
done
findings=$("$bin" --db "$work/mamori.db" assess "$work/site" --as-of 2026-11-21 --no-store --format json | python3 -c "import json,sys;print(json.load(sys.stdin)['summary']['total'])")
echo "findings per run: $findings"
