#!/usr/bin/env bash
# Throughput of `mamori mail check` on the shared mail (Phishing Pot and mail-parser samples)
# copied COPIES times into one folder (each copy its own file, as a mailbox export is), with
# the shared blocklists loaded. Prints mails per second and peak memory.
# Usage: bench/mail.sh [COPIES]   (default 200: 10,000 mails, ≈ 630 MB)
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data
[ -d "$data/mail" ] || { echo "needs ../shared/data beside the repository" >&2; exit 1; }
copies="${1:-200}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet -p mamori
bin=target/release/mamori

mkdir -p "$work/mail"
for i in $(seq 1 "$copies"); do
  for f in "$data"/mail/*/*.eml; do
    cp "$f" "$work/mail/$i-$(basename "$f")"
  done
done
mails=$(ls "$work/mail" | wc -l)
bytes=$(du -sb "$work/mail" | cut -f1)
"$bin" --db "$work/m.db" intel import "$data/feeds/blocklists" > /dev/null 2>&1

hyperfine -N --warmup 1 --runs 3 --export-json "$work/r.json" \
  "$bin --db $work/m.db mail check $work/mail --format json" > /dev/null
python3 - "$work/r.json" "$mails" "$bytes" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
mails, size = int(sys.argv[2]), int(sys.argv[3])
print(f"mail check: {mails} mails ({size/1e6:.0f} MB) in {r['median']:.2f} s = {mails/r['median']:.0f} mails/s, {size/r['median']/1e6:.1f} MB/s")
PY
/usr/bin/time -f "mail check: peak RSS %M KiB" "$bin" --db "$work/m.db" mail check "$work/mail" --format json > /dev/null
