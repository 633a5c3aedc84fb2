#!/usr/bin/env bash
# One binary against another, side by side in one run, on the corpora of bench/hunt.sh and
# bench/assess.sh: for a change that must not slow anything down (hardening, refactoring).
# Build the "before" binary from another checkout, e.g.
#   git worktree add /tmp/before <commit> && (cd /tmp/before && CARGO_TARGET_DIR=/tmp/before-target cargo build --release -p mamori)
# Usage: bench/before-after.sh BEFORE_BIN [EVTX_COPIES] [SSH_COPIES] [ASSETS] [ACCOUNTS]
set -euo pipefail
cd "$(dirname "$0")/.."
before="$(realpath "$1")"
evtx_copies="${2:-20}"
ssh_copies="${3:-500}"
assets="${4:-10000}"
accounts="${5:-50000}"
data=../shared/data
[ -d "$data" ] || { echo "needs ../shared/data beside the repository" >&2; exit 1; }
command -v hyperfine > /dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet -p mamori
after="$(realpath target/release/mamori)"

. bench/corpus.sh
evtx_corpus "$data" "$work/evtx" "$evtx_copies"
ssh_corpus "$data" "$work/ssh.log" "$ssh_copies"
cargo run --release --quiet -p xtask -- gen-site "$work/site" --assets "$assets" --accounts "$accounts"

compare() { # name, arguments after the binary
  local name="$1"; shift
  echo "== $name"
  hyperfine --warmup 1 --runs 5 -N -n before -n after "$before $*" "$after $*" 2>/dev/null |
    grep -E "Time|±|faster|slower|before|after" || true
  for bin in "$before" "$after"; do
    /usr/bin/time -f "   peak RSS %M KiB ($(basename "$(dirname "$(dirname "$bin")")"))" "$bin" "$@" > /dev/null 2>"$work/err" || true
    tail -n 1 "$work/err"
  done
}
compare "hunt EVTX ($(ls "$work/evtx" | wc -l) files, $(du -sh "$work/evtx" | cut -f1))" \
  hunt "$work/evtx" --format json --as-of 2026-11-21
compare "hunt sshd text ($(du -sh "$work/ssh.log" | cut -f1))" \
  hunt "$work/ssh.log" --format json --as-of 2026-11-21
compare "assess ($assets assets, $accounts accounts, --no-store)" \
  --db "$work/m.db" assess "$work/site" --as-of 2026-11-21 --no-store --format json
