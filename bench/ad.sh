#!/usr/bin/env bash
# `mamori ad export` and `mamori assess` against a local Samba AD domain holding USERS users and
# COMPUTERS computers (defaults 50,000 and 10,000; a few hundred in privileged groups), served
# over LDAPS on the loopback interface. Prints the time and peak memory of each.
# Needs samba, samba-ad-provision, samba-ad-dc, openssl, and root (LDAP ports 389 and 636).
# The entries are filled by bench/ad_fill.py (Debian's /usr/bin/python3, where Samba's modules are).
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

# Samba's own add path slows as the directory grows (ldbadd: 609 s for 24,000 entries), so the
# entries are cloned into the partition from one user and one computer added the normal way, and
# Samba rebuilds the indexes once. Memberships go through the normal path.
start=$(date +%s.%N)
/usr/bin/python3 bench/ad_fill.py "$work/dc" "$users" "$computers"
samba-tool dbcheck --reindex -H "$work/dc/private/sam.ldb" > /dev/null
{
  # Nested administrators: a group of 300 inside Domain Admins.
  printf 'dn: CN=Ops,OU=Staff,DC=bench,DC=test\nobjectClass: group\nsAMAccountName: Ops\n'
  for i in $(seq 0 $((users < 300 ? users - 1 : 299))); do printf 'member: CN=k%06d,OU=Staff,DC=bench,DC=test\n' "$i"; done
} > "$work/ops.ldif"
ldbadd -H "$work/dc/private/sam.ldb" "$work/ops.ldif" > /dev/null
ldbmodify -H "$work/dc/private/sam.ldb" > /dev/null <<EOF2
dn: CN=Domain Admins,CN=Users,DC=bench,DC=test
changetype: modify
add: member
member: CN=Ops,OU=Staff,DC=bench,DC=test
EOF2
python3 -c "import time,sys; print(f'loaded {sys.argv[1]} users and {sys.argv[2]} computers in {time.time()-float(sys.argv[3]):.1f} s')" "$users" "$computers" "$start"

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
# A staff roster of 5,000 (every 100th has left: their enabled accounts are found) and a ledger
# listing nine in ten of the computers.
python3 - "$work/site" "$users" "$computers" <<'PY'
import sys
site, users, computers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(f"{site}/staff.csv", "w", encoding="utf-8") as f:
    f.write("職員番号,氏名,部署,在籍状況,退職日\n")
    for i in range(min(users, 5000)):
        left = i % 100 == 99
        f.write(f"E{i:06},職員 {i:06},医事課,{'退職' if left else '在職'},{'2026-03-31' if left else ''}\n")
with open(f"{site}/assets.csv", "w", encoding="utf-8") as f:
    f.write("管理番号,機器名,種別\n")
    for i in range(computers * 9 // 10):
        f.write(f"A{i:06},PC{i:06},端末\n")
PY
export BENCH_AD_PASSWORD='Adm1n-Pass-2026!'
/usr/bin/time -f "ad export: %e s (mamori's own CPU %U s), peak RSS %M KiB" "$bin" --db "$work/m.db" ad export "$work/site" --out "$work/ad.csv"
echo "  rows: $(($(wc -l < "$work/ad.csv") - 1))"
/usr/bin/time -f "assess (AD read and every check): %e s (mamori's own CPU %U s), peak RSS %M KiB" \
  "$bin" --db "$work/m.db" assess "$work/site" --format json --no-store > "$work/report.json" || true
# Reference: OpenLDAP's ldapsearch fetching the same entries and attributes, 500 a page, over
# LDAPS — what the server alone takes to hand the directory over (apt-get install ldap-utils).
# (ldapsearch's GnuTLS refuses the bench's self-signed certificate, so it does not verify it.)
if command -v ldapsearch >/dev/null; then
  reference() {
    LDAPTLS_CACERT="$work/cert.pem" LDAPTLS_REQCERT=never ldapsearch -LLL -o ldif-wrap=no -H ldaps://localhost -x \
      -D Administrator@bench.test -w "$BENCH_AD_PASSWORD" -b DC=bench,DC=test -E pr=500/noprompt "$@" > /dev/null
  }
  /usr/bin/time -f "ldapsearch (same four searches): %e s, peak RSS %M KiB" bash -c "$(declare -f reference); work='$work'; BENCH_AD_PASSWORD='$BENCH_AD_PASSWORD'
    reference '(&(objectCategory=person)(objectClass=user))' sAMAccountName displayName userAccountControl pwdLastSet lastLogonTimestamp whenCreated memberOf adminCount servicePrincipalName primaryGroupID objectSid
    reference '(objectClass=group)' cn member memberOf objectSid
    reference '(objectClass=computer)' cn dNSHostName operatingSystem operatingSystemVersion lastLogonTimestamp userAccountControl ms-Mcs-AdmPwdExpirationTime msLAPS-PasswordExpirationTime
    reference '(objectClass=msDS-PasswordSettings)' cn msDS-MinimumPasswordLength msDS-LockoutThreshold msDS-PasswordReversibleEncryptionEnabled"
else
  echo "ldapsearch: not installed (apt-get install ldap-utils) — no reference run"
fi
python3 - "$work/report.json" <<'PY'
import json, sys, collections
report = json.load(open(sys.argv[1]))
counts = collections.Counter(f["rule_id"] for f in report["findings"] if f["rule_id"].startswith(("ad.", "account.")))
print(f"  findings: {len(report['findings'])} in all; ", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
PY
