#!/usr/bin/env bash
# `mamori hunt` on a DNS query log against a large blocklist, beside `grep -F -f` on the same
# files. The log is dnsmasq's query lines (QUERIES lines, 500 clients, 50,000 names of which
# 1 % are listed); the list is LISTED made-up domains plus those names, imported with
# `mamori intel import`. Prints lines per second and peak memory for both.
# Usage: bench/dns.sh [QUERIES] [LISTED]   (defaults 10000000 and 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
queries="${1:-10000000}"
listed="${2:-1000000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet -p mamori
bin=target/release/mamori

python3 - "$work" "$queries" "$listed" <<'PY'
import random, sys
work, queries, listed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(19)
names = [f"host{i}.site{i % 997}.example-{i % 13}.jp" for i in range(50_000)]
bad = names[::100]                      # 1 % of the names asked for are listed
with open(f"{work}/list.txt", "w") as f:
    f.write("# made-up blocklist for bench/dns.sh\n")
    for i in range(listed - len(bad)):
        f.write(f"bad{i}.campaign{i % 5003}.example\n")
    for n in bad:
        f.write(n + "\n")
months = ["Dec"]
with open(f"{work}/dns.log", "w") as f:
    out = []
    for i in range(queries):
        second = i * 86400 // queries
        h, m, s = second // 3600, second // 60 % 60, second % 60
        client = f"192.168.{rng.randrange(2)}.{rng.randrange(1, 251)}"
        name = names[int(rng.paretovariate(1.2)) % len(names)]
        out.append(f"Dec  5 {h:02}:{m:02}:{s:02} router dnsmasq[812]: query[A] {name} from {client}\n")
        if len(out) == 100_000:
            f.write("".join(out)); out.clear()
    f.write("".join(out))
PY
lines=$(wc -l < "$work/dns.log")
bytes=$(stat -c %s "$work/dns.log")
"$bin" --db "$work/m.db" intel import "$work/list.txt" > /dev/null 2>&1
echo "input: $lines queries ($((bytes / 1000000)) MB), $listed listed domains"

run() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/t" "$@" > "$work/out" || true
  read -r secs kib < "$work/t"
  python3 - "$label" "$lines" "$secs" "$kib" <<'PY'
import sys
label, lines, secs, kib = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
print(f"{label}: {lines / secs / 1e6:.2f} M lines/s ({secs:.2f} s), peak RSS {kib / 1024:.0f} MiB")
PY
}
run "mamori hunt" "$bin" --db "$work/m.db" hunt "$work/dns.log" --format json --as-of 2026-12-31
python3 -c "import json,sys; f=[json.loads(l) for l in open(sys.argv[1])]; print(f'  findings: {len(f)} (host, listed name), {sum(x[\"evidence\"][\"count\"] for x in f)} queries')" "$work/out"
grep -v '^#' "$work/list.txt" | sed 's/^/ /; s/$/ from/' > "$work/patterns.txt"
run "grep -F -f (the listed names, as ' NAME from')" grep -c -F -f "$work/patterns.txt" "$work/dns.log"
echo "  matching lines: $(cat "$work/out")"
