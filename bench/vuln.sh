#!/usr/bin/env bash
# Vulnerability data at scale, built from the real records in ../shared/data/feeds:
# 1. `mamori vuln import` of an NVD feed of N records (default 300,000, about all of NVD),
#    made by cycling the real NVD records (the 2023 API page and the edge-device records)
#    under new CVE ids, gzipped like NVD's yearly files — time and peak memory. The copies keep
#    the real product names up to an NVD-like count per product (~1,500 per Windows edition,
#    ~60 copies of each edge-device record) and name made-up products beyond it;
#    CORPUS=cycled keeps every copy's real names (each site product then has ~10,000 CVEs:
#    a worst case);
# 2. `mamori assess` of a site with 10,000 devices (FortiGate, ASA, PAN-OS, Ivanti, Windows
#    servers and PCs, unknown devices, in real version notations) with and without that data:
#    the difference is loading the site's CVEs from the database plus matching.
# Usage: bench/vuln.sh [RECORDS] [ASSETS]
# With BEFORE=path/to/an/older/mamori, both binaries run side by side on the same corpus (import
# into a database each, then assess), and their assess findings are compared.
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/feeds
[ -d "$data" ] || { echo "needs ../shared/data beside the repository" >&2; exit 1; }
records="${1:-300000}"
assets="${2:-10000}"
work="$(mktemp -d)"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT; echo "work: $work" >&2
cargo build --release --quiet -p mamori
bin="$PWD/target/release/mamori"

python3 - "$data" "$records" "$assets" "$work" <<'PY'
import glob, gzip, json, sys
data, n, n_assets, work = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
real = [v["cve"] for v in json.load(open(f"{data}/nvd/cves-2023.json"))["vulnerabilities"]]
real += [json.load(open(p)) for p in sorted(glob.glob(f"{data}/nvd/edge/CVE-*.json"))]
import os, re
cycled = os.environ.get("CORPUS") == "cycled"
site_products = re.compile(r"cpe:2\.3:[aoh]:(fortinet:fortios|cisco:adaptive_security_appliance_software|paloaltonetworks:pan-os|ivanti:connect_secure|microsoft:windows[^:]*):")
def quota(rec):
    # NVD-like density for the site's products: about 1,500 CVEs per Windows edition and a few
    # hundred per edge product (estimates; NVD itself is not at hand). Other copies name
    # made-up products, as most of NVD names products a hospital does not run.
    text = json.dumps(rec.get("configurations", []))
    if not site_products.search(text):
        return 0
    return 1500 if "microsoft:windows" in text else 60
quotas = [quota(r) for r in real]
copies = [0] * len(real)
def renamed(rec, i):
    text = json.dumps(rec.get("configurations", []))
    text = re.sub(r"(cpe:2\.3:[aoh]:)[^:]+:[^:]+:", lambda m: f"{m.group(1)}vendor{i % 7919}:product{i % 20011}:", text)
    rec["configurations"] = json.loads(text)
    return rec
with gzip.open(f"{work}/nvdcve-2.0-bench.json.gz", "wt", compresslevel=3) as out:
    out.write('{"format":"NVD_CVE","version":"2.0","timestamp":"2026-11-20T00:00:00.000","vulnerabilities":[')
    for r in real:
        out.write(json.dumps({"cve": r}, separators=(",", ":")) + ",")
    for i in range(n - len(real)):
        k = i % len(real)
        rec = dict(real[k])
        copies[k] += 1
        if not cycled and copies[k] > quotas[k]:
            rec = renamed(rec, i)
        rec["id"] = f"CVE-{2000 + i // 100000}-{i % 100000:06d}"
        # Only the real records are in KEV: about 1,300 of 300,000, as in NVD.
        for k in ("cisaExploitAdd", "cisaActionDue", "cisaRequiredAction", "cisaVulnerabilityName"):
            rec.pop(k, None)
        out.write(("," if i else "") + json.dumps({"cve": rec}, separators=(",", ":")))
    out.write("]}")
site = f"{work}/site"
import os
os.makedirs(site)
open(f"{site}/site.toml", "w").write('name = "ベンチマーク病院"\nid = "bench-vuln"\n')
# A large hospital group: mostly PCs and servers, a few gateways (real version notations).
devices = [
    (10, "gateway", "Fortinet", "FortiGate 100F", ["7.0.9", "v7.0.12,build0523", "7.2.5", "6.4.14", "7.4.3"]),
    (4, "vpn", "Cisco", "ASA 5516-X", ["9.16(4)84", "9.8(4)19", "9.18(4)"]),
    (4, "gateway", "Palo Alto Networks", "PA-3220", ["10.2.9-h1", "11.1.2"]),
    (2, "vpn", "Ivanti", "Connect Secure", ["22.7R2.3", "9.1R18"]),
    (800, "server", "Microsoft", "Windows Server 2019", ["10.0.17763.2028", "10.0.17763.6414"]),
    (8940, "pc", "NEC", "Mate", ["Windows 11 23H2", "Windows 10 22H2"]),
    (200, "medical-device", "GE", "LOGIQ", ["Windows 7 Embedded", "R3"]),
    (40, "iot", "パナソニック", "WV-S1536", ["1.0"]),
]
import csv
with open(f"{site}/assets.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(["管理番号", "機器名", "種別", "メーカー", "型番", "バージョン", "インターネット接続"])
    i = 0
    for count, kind, vendor, product, versions in devices:
        for j in range(count * n_assets // 10000):
            version = versions[j % len(versions)]
            net = "有" if kind in ("gateway", "vpn") else "無"
            w.writerow([f"A{i:05d}", f"機器{i}", kind, vendor, product, version, net])
            i += 1
PY

feed="$work/nvdcve-2.0-bench.json.gz"
echo "NVD feed: $records records, $(($(stat -c %s "$feed") / 1024 / 1024)) MiB gzipped"
bins=("after:$bin")
[ -z "${BEFORE:-}" ] || bins=("before:$(realpath "$BEFORE")" "after:$bin")

for entry in "${bins[@]}"; do
  label="${entry%%:*}"; exe="${entry#*:}"
  db="$work/vuln-$label.db"
  /usr/bin/time -f "%e %M" -o "$work/t" "$exe" --db "$db" vuln import "$feed" "$data/kev" 2> "$work/log" || { cat "$work/log"; exit 1; }
  read -r secs kb < <(tail -1 "$work/t")
  echo "[$label] vuln import: ${secs} s, peak $((kb / 1024)) MiB, $(python3 -c "print(round($records/$secs))") records/s"
  for run in "empty:without vulnerability data" "$db:with $records CVEs + KEV"; do
    use="${run%%:*}"; what="${run#*:}"
    [ "$use" = empty ] && use="$work/empty-$label.db"
    best=""
    for _ in 1 2 3; do
      /usr/bin/time -f "%e %M" -o "$work/t" "$exe" --db "$use" assess "$work/site" --no-store --format json --as-of 2026-11-21 > "$work/out-$label.json" 2> /dev/null || true
      read -r secs kb < <(tail -1 "$work/t")
      best=$(python3 -c "print(min(x for x in [$secs, ${best:-1e9}]))")
    done
    kev=$(python3 -c "import json;print(sum(1 for f in json.load(open('$work/out-$label.json'))['findings'] if f['rule_id']=='vuln.known-exploited'))")
    echo "[$label] assess $assets devices $what: best of 3 ${best} s, peak $((kb / 1024)) MiB, vuln.known-exploited findings: $kev"
  done
done
if [ -n "${BEFORE:-}" ]; then
  strip='import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps(sorted(d["findings"], key=lambda f: f["id"]), sort_keys=True))'
  if cmp -s <(python3 -c "$strip" "$work/out-before.json") <(python3 -c "$strip" "$work/out-after.json"); then
    echo "findings with vulnerability data: identical before and after"
  else
    echo "findings with vulnerability data: DIFFER before and after"
  fi
fi
