#!/usr/bin/env bash
# Backup scan at scale: FILES files totalling about TOTAL_MB MiB in 30 dated generations on local
# disk (text records, compressed-looking blobs and a few large images, as a clinic NAS holds),
# then, side by side: the metadata walk of `find PATH -printf '%s %T@\n'` (the reference), and
# `mamori backup scan` (walk + three 64 KiB samples per large file + judging), with peak memory.
# Usage: bench/backup.sh [FILES] [TOTAL_MB]      (issue 15's target: 1000000 20480)
set -euo pipefail
cd "$(dirname "$0")/.."
files="${1:-1000000}"
total_mb="${2:-20480}"
work="${WORK:-$(mktemp -d)}"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
echo "work: $work" >&2
cargo build --release --quiet -p mamori
bin="$PWD/target/release/mamori"

python3 - "$work/nas" "$files" "$total_mb" <<'PY'
import os, random, sys
root, n, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) << 20
random.seed(15)
gens = 30
per_gen = n // gens
avg = total // n
blob = os.urandom(1 << 20)
text = ("2026-11-20,P%06d,外来,初診,1200,みどり内科\n" * 4000).encode()
for g in range(gens):
    d = os.path.join(root, f"2026-10-{g + 1:02d}" if g < 31 else f"gen{g}")
    for sub in range(per_gen // 1000 + 1):
        os.makedirs(os.path.join(d, f"{sub:04d}"), exist_ok=True)
    for i in range(per_gen):
        sub = os.path.join(d, f"{(i // 1000):04d}")
        kind = i % 10
        if kind < 6:
            size = max(64, int(random.expovariate(1 / avg) * 0.5))
            path, data = os.path.join(sub, f"{i:07d}.csv"), (text * (size // len(text) + 1))[:size]
        elif kind < 9:
            size = max(64, int(random.expovariate(1 / avg)))
            path, data = os.path.join(sub, f"{i:07d}.dat"), (blob * (size // len(blob) + 1))[:size]
        else:
            size = max(1024, int(random.expovariate(1 / avg) * 4))
            path = os.path.join(sub, f"{i:07d}.jpg")
            data = b"\xff\xd8\xff\xe0" + (blob * (size // len(blob) + 1))[: size - 4]
        with open(path, "wb") as f:
            f.write(data)
PY
echo "corpus: $(find "$work/nas" -type f | wc -l) files, $(du -sh "$work/nas" | cut -f1)"
sync
measure() { # label, command...
  local label="$1"; shift
  /usr/bin/time -f "%e %M" -o "$work/t" "$@" > /dev/null 2> "$work/err" || { cat "$work/err"; }
  read -r secs kb < <(tail -1 "$work/t")
  echo "$label: ${secs} s, peak $((kb / 1024)) MiB"
}
# Warm the page cache once so both read metadata from memory (a NAS's second scan).
find "$work/nas" -printf '%s %T@\n' > /dev/null
measure "find -printf (metadata walk, reference)" find "$work/nas" -printf '%s %T@\n'
measure "mamori backup scan (walk + sampled content)" "$bin" --db "$work/m.db" backup scan "$work/nas" --format json --as-of 2026-11-21
"$bin" --db "$work/m.db" backup scan "$work/nas" --format json --as-of 2026-11-21 > "$work/out.json" || true
python3 - "$work/out.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["destinations"][0]
mib = d['sampled_bytes'] / 2**20
print(f"{d['files']} files, {d['bytes'] / 2**20:.0f} MiB; {len(d['generations'])} generations; {d['suspect_count']} suspects")
print(f"  walk (metadata) {d['walk_ms'] / 1000:.2f} s; sampling {mib:.0f} MiB in {d['sample_ms'] / 1000:.2f} s = "
      f"{mib / max(d['sample_ms'], 1) * 1000:.0f} MiB/s of sampled data")
PY
