#!/usr/bin/env bash
# Throughput and peak memory of `mamori hunt` on corpora built from the shared data:
#   - EVTX: the shared EVTX files copied EVTX_COPIES times (many files, read in parallel);
#   - sshd text: loghub's OpenSSH_2k.log repeated SSH_COPIES times into one file, each copy
#     dated another day of the year (the same attackers coming back, as on a real server), so
#     no two copies are identical and the file is read as one large log.
# Usage: bench/hunt.sh [EVTX_COPIES] [SSH_COPIES]   (2000 copies ≈ 450 MB, 22000 ≈ 4.9 GB)
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

. bench/corpus.sh
evtx_corpus "$data" "$work/evtx" "$evtx_copies"
ssh_corpus "$data" "$work/ssh.log" "$ssh_copies"

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
