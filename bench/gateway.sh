#!/usr/bin/env bash
# Throughput and peak memory of `mamori gateway audit` on large configurations built from the
# shared data: the real FortiGate-VM backup (acidjunk_global.conf) with its firewall address
# table grown to SIZE_MB, and the real ASA sample (ciscoconfparse_sample_01.asa) with its
# access lists grown to SIZE_MB. Secrets and facts come from the real files.
# Usage: bench/gateway.sh [SIZE_MB]   (default 50)
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/configs
[ -d "$data" ] || { echo "needs ../shared/data beside the repository" >&2; exit 1; }
size_mb="${1:-50}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet -p mamori
bin=target/release/mamori

python3 - "$data" "$size_mb" "$work" <<'PY'
import sys
data, size, work = sys.argv[1], int(sys.argv[2]) * 1024 * 1024, sys.argv[3]
fg = open(f"{data}/fortigate/acidjunk_global.conf").read()
head, sep, tail = fg.partition("config firewall address\n")
parts, n, total = [], 0, len(fg)
while total < size:
    entry = f'    edit "host-{n}"\n        set subnet 10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255} 255.255.255.255\n    next\n'
    parts.append(entry); total += len(entry); n += 1
open(f"{work}/fortigate.conf", "w").write(head + sep + "".join(parts) + tail)
asa = open(f"{data}/cisco_asa/ciscoconfparse_sample_01.asa").read()
head, sep, tail = asa.partition("access-group")
parts, n, total = [], 0, len(asa)
while total < size:
    line = f"access-list GROWN extended permit tcp any host 192.0.2.{n % 250} eq {1024 + n % 60000}\n"
    parts.append(line); total += len(line); n += 1
open(f"{work}/asa.cfg", "w").write(head + "".join(parts) + sep + tail)
# 20,000 local SSL-VPN users in one group (issue 22: evidence must grow linearly with users).
n = 20000
users = "".join(f'    edit "user{i}"\n        set type password\n        set passwd ENC SGVsbG8{i}\n    next\n' for i in range(n))
members = " ".join(f'"user{i}"' for i in range(n))
vpn = (f'config user local\n{users}end\nconfig user group\n    edit "SSLVPN-USERS"\n        set member {members}\n    next\nend\n'
       'config vpn ssl settings\n    set status enable\n    set source-interface "port1"\n    set port 443\n'
       '    config authentication-rule\n        edit 1\n            set groups "SSLVPN-USERS"\n        next\n    end\nend\n')
open(f"{work}/vpn.conf", "w").write(fg + vpn)
PY

measure() { # name path
  local bytes mean
  bytes=$(stat -c %s "$2")
  hyperfine --warmup 1 --runs 5 --export-json "$work/r.json" "$bin gateway audit $2 --format json" > /dev/null
  mean=$(python3 -c "import json;print(json.load(open('$work/r.json'))['results'][0]['mean'])")
  python3 -c "b=$bytes; m=$mean; print(f'$1: {b/1e6:.1f} MB in {m:.3f} s = {b/m/1e6:.1f} MB/s')"
  /usr/bin/time -f "$1: peak RSS %M KiB" "$bin" gateway audit "$2" --format json > /dev/null
}
measure "FortiOS backup" "$work/fortigate.conf"
measure "Cisco ASA config" "$work/asa.cfg"
measure "FortiOS, 20,000 SSL-VPN users" "$work/vpn.conf"
