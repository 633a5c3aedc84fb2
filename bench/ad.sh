#!/usr/bin/env bash
# `mamori ad export` and `mamori assess` against a local Samba AD domain holding USERS users and
# COMPUTERS computers (defaults 50,000 and 10,000; a few hundred in privileged groups), served
# over LDAPS on the loopback interface. Prints the time and peak memory of each.
# Needs samba, samba-ad-provision, samba-ad-dc, openssl, and root (LDAP ports 389 and 636).
# Usage: bench/ad.sh [USERS] [COMPUTERS]
set -euo pipefail
cd "$(dirname "$0")/.."
users="${1:-50000}"
computers="${2:-10000}"
command -v samba-tool >/dev/null || { echo "needs samba (apt-get install samba samba-ad-provision samba-ad-dc)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "needs root: Samba's LDAP ports are 389 and 636" >&2; exit 1; }
work="$(mktemp -d)"
samba_pid=""
trap '[ -n "$samba_pid" ] && kill "$samba_pid" 2>/dev/null; rm -rf "$work"' EXIT
cargo build --release --quiet -p mamori
bin="$PWD/target/release/mamori"

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 30 \
  -subj /CN=localhost -addext subjectAltName=DNS:localhost -addext basicConstraints=critical,CA:FALSE 2>/dev/null
chmod 600 "$work/key.pem"
samba-tool domain provision --realm=BENCH.TEST --domain=BENCH --server-role=dc --dns-backend=NONE \
  --adminpass='Adm1n-Pass-2026!' --targetdir="$work/dc" --host-name=dc1 \
  --option="interfaces=lo" --option="bind interfaces only=yes" --option="server services=ldap" \
  --option="tls enabled=yes" --option="tls certfile=$work/cert.pem" --option="tls keyfile=$work/key.pem" \
  --option="tls cafile=" > "$work/provision.log" 2>&1

python3 - "$work/add.ldif" "$users" "$computers" <<'PY'
import sys
path, users, computers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
base = "DC=bench,DC=test"
with open(path, "w") as f:
    for ou in ("Staff", "PCs"):
        f.write(f"dn: OU={ou},{base}\nobjectClass: organizationalUnit\n\n")
    for i in range(users):
        uac = 66080 if i % 50 == 0 else 544  # every 50th: password never expires
        f.write(f"dn: CN=k{i:06},OU=Staff,{base}\nobjectClass: user\nsAMAccountName: k{i:06}\n"
                f"displayName: 職員 {i:06}\nuserAccountControl: {uac}\n")
        if i % 200 == 0:
            f.write("servicePrincipalName: HTTP/app%d.bench.test\n" % i)
        f.write("\n")
    for i in range(computers):
        f.write(f"dn: CN=PC{i:06},OU=PCs,{base}\nobjectClass: computer\nsAMAccountName: PC{i:06}$\n"
                f"userAccountControl: 4096\noperatingSystem: Windows 11 Pro\n\n")
    # Nested administrators: a group of 300 inside Domain Admins.
    f.write(f"dn: CN=Ops,OU=Staff,{base}\nobjectClass: group\nsAMAccountName: Ops\n")
    for i in range(0, min(users, 300)):
        f.write(f"member: CN=k{i:06},OU=Staff,{base}\n")
    f.write("\n")
PY
start=$(date +%s.%N)
ldbadd -H "$work/dc/private/sam.ldb" "$work/add.ldif" > /dev/null
ldbmodify -H "$work/dc/private/sam.ldb" > /dev/null <<EOF2
dn: CN=Domain Admins,CN=Users,DC=bench,DC=test
changetype: modify
add: member
member: CN=Ops,OU=Staff,DC=bench,DC=test
EOF2
python3 -c "import time,sys; print(f'loaded {sys.argv[1]} users and {sys.argv[2]} computers with ldbadd in {time.time()-float(sys.argv[3]):.1f} s')" "$users" "$computers" "$start"

samba -i -M single -s "$work/dc/etc/smb.conf" > "$work/samba.log" 2>&1 &
samba_pid=$!
for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/636) 2>/dev/null && break; sleep 0.2; done

mkdir -p "$work/site"
cat > "$work/site/site.toml" <<EOF2
name = "ベンチ病院"
[ad]
url = "ldaps://localhost"
base_dn = "DC=bench,DC=test"
bind_dn = "Administrator@bench.test"
password_env = "BENCH_AD_PASSWORD"
ca_file = "$work/cert.pem"
EOF2
export BENCH_AD_PASSWORD='Adm1n-Pass-2026!'
/usr/bin/time -f "ad export: %e s, peak RSS %M KiB" "$bin" --db "$work/m.db" ad export "$work/site" --out "$work/ad.csv"
echo "  rows: $(($(wc -l < "$work/ad.csv") - 1))"
/usr/bin/time -f "assess (AD read and every check): %e s, peak RSS %M KiB" \
  "$bin" --db "$work/m.db" assess "$work/site" --format json --no-store > "$work/report.json" || true
python3 - "$work/report.json" <<'PY'
import json, sys, collections
report = json.load(open(sys.argv[1]))
counts = collections.Counter(f["rule_id"] for f in report["findings"] if f["rule_id"].startswith(("ad.", "account.")))
print("  findings:", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
PY
