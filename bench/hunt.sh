#!/usr/bin/env bash
# Throughput and peak memory of `mamori hunt` on corpora built from the shared data:
#   - EVTX: the shared EVTX files copied EVTX_COPIES times (many files, read in parallel);
#   - sshd text: loghub's OpenSSH_2k.log repeated SSH_COPIES times into one file, each copy
#     dated another day of the year (the same attackers coming back, as on a real server), so
#     no two copies are identical and the file is read as one large log.
#   - thread scaling of text hunting: the sshd file with RAYON_NUM_THREADS=1, 2, 4… up to the
#     cores here, beside `grep -c` (one core, no parsing) on the same file as a floor.
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

# Thread scaling: one file, so every thread works on blocks of it (docs/hunt.md).
bytes=$(stat -c %s "$work/ssh.log")
rate() { python3 -c "import json;m=json.load(open('$work/r.json'))['results'][0]['median'];print(f'{$bytes/m/1e6:.1f} MB/s ({m:.2f} s)'), open('$work/m','w').write(str(m))"; }
cores=$(nproc)
t=1
while [ "$t" -le "$cores" ]; do
  hyperfine -i -N --warmup 1 --runs 5 --export-json "$work/r.json" \
    "env RAYON_NUM_THREADS=$t $bin hunt $work/ssh.log --format json --as-of 2026-11-21" > /dev/null
  echo "sshd text, $t thread(s): $(rate)"
  [ "$t" -eq 1 ] && one=$(cat "$work/m")
  [ "$t" -gt 1 ] && python3 -c "print(f'  speed-up over 1 thread: {$one/$(cat "$work/m"):.2f}x')"
  t=$((t * 2))
done
# --output=pipe: GNU grep stops at the first match when its output is /dev/null.
hyperfine -N --output=pipe --warmup 1 --runs 5 --export-json "$work/r.json" \
  "env LC_ALL=C grep -c 'Failed password' $work/ssh.log" > /dev/null
echo "grep -c (reference, 1 thread): $(rate)"
