#!/usr/bin/env bash
# Throughput of `mamori hunt` on a corpus built by repeating the shared EVTX files and the
# loghub OpenSSH log. Usage: bench/hunt.sh [EVTX_COPIES] [SSH_COPIES]
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data
[ -d "$data" ] || { echo "needs ../shared/data beside the repository" >&2; exit 1; }
evtx_copies="${1:-20}"
ssh_copies="${2:-2000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet -p mamori
bin=target/release/mamori

mkdir -p "$work/evtx"
for i in $(seq 1 "$evtx_copies"); do
  find "$data/evtx" -name '*.evtx' | while read -r f; do cp "$f" "$work/evtx/$i-$(basename "$f")"; done
done
for i in $(seq 1 "$ssh_copies"); do cat "$data/syslog/loghub/OpenSSH_2k.log"; done > "$work/ssh.log"

measure() { # name path
  local bytes mean
  bytes=$(du -sb "$2" | cut -f1)
  hyperfine --warmup 1 --runs 3 --export-json "$work/r.json" "$bin hunt $2 --format json --as-of 2026-11-21" > /dev/null
  mean=$(python3 -c "import json;print(json.load(open('$work/r.json'))['results'][0]['mean'])")
  python3 -c "b=$bytes; m=$mean; print(f'$1: {b/1e6:.1f} MB in {m:.2f} s = {b/m/1e6:.1f} MB/s')"
  /usr/bin/time -f "$1: peak RSS %M KiB" "$bin" hunt "$2" --format json --as-of 2026-11-21 > /dev/null
}
measure "EVTX ($(ls "$work/evtx" | wc -l) files)" "$work/evtx"
measure "sshd text" "$work/ssh.log"
