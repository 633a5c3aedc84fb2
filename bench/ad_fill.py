"""Fill a freshly provisioned Samba domain with many users and computers, fast (bench/ad.sh).

Usage: /usr/bin/python3 bench/ad_fill.py TARGET_DIR USERS COMPUTERS (Debian's python3: Samba's
modules live there), then `samba-tool dbcheck --reindex`.

Samba's own add path costs time that grows with the directory (each add copies the index lists
it touches), so 60,000 entries take most of an hour. Here one user and one computer are added
the normal way, then cloned straight into the domain partition with the attribute indexes off,
and the indexes are rebuilt once by Samba (`dbcheck --reindex`).
"""
import sys
import time
import uuid

import ldb
from samba.samdb import SamDB
from samba.auth import system_session
from samba.param import LoadParm
from samba.dcerpc import security, misc
from samba.ndr import ndr_pack

target, users, computers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
base = "DC=bench,DC=test"
started = time.time()
lp = LoadParm(); lp.load(f"{target}/etc/smb.conf")
sam = SamDB(url=f"{target}/private/sam.ldb", session_info=system_session(), lp=lp)
domain_sid = str(sam.get_domain_sid())
for ou in ("Staff", "PCs"):
    sam.add({"dn": f"OU={ou},{base}", "objectClass": "organizationalUnit"})
# The template has no password, so it is marked "password not required" (544); its clones are
# ordinary accounts (512).
sam.add({"dn": f"CN=template-user,OU=Staff,{base}", "objectClass": "user",
         "sAMAccountName": "template-user", "userAccountControl": "544",
         "displayName": "template"})
sam.add({"dn": f"CN=TEMPLATE-PC,OU=PCs,{base}", "objectClass": "computer",
         "sAMAccountName": "TEMPLATE-PC$", "userAccountControl": "4096",
         "operatingSystem": "Windows 11 Pro", "operatingSystemVersion": "10.0 (22631)"})
del sam

raw = ldb.Ldb(f"{target}/private/sam.ldb.d/DC=BENCH,DC=TEST.ldb")
index_list = raw.search(base="@INDEXLIST", scope=ldb.SCOPE_BASE)[0]
def template(name):
    return raw.search(base=name, scope=ldb.SCOPE_BASE)[0]
user, computer = template(f"CN=template-user,OU=Staff,{base}"), template(f"CN=TEMPLATE-PC,OU=PCs,{base}")
# Attribute indexes off while cloning (the GUID and DN keys stay).
off = ldb.Message(ldb.Dn(raw, "@INDEXLIST"))
off["@IDXATTR"] = ldb.MessageElement(["objectGUID"], ldb.FLAG_MOD_REPLACE, "@IDXATTR")
off["@IDXONE"] = ldb.MessageElement([], ldb.FLAG_MOD_DELETE, "@IDXONE")
raw.modify(off)

def clone(src, dn, rid, values):
    msg = ldb.Message(ldb.Dn(raw, dn))
    for name in src.keys():
        if name.lower() in ("dn", "distinguishedname"):
            continue
        msg[name] = ldb.MessageElement([bytes(v) for v in src[name]], ldb.FLAG_MOD_ADD, name)
    rdn = dn.split(",", 1)[0].split("=", 1)[1]
    values.update({"cn": rdn, "name": rdn,
                   "objectGUID": ndr_pack(misc.GUID(str(uuid.uuid4()))),
                   "objectSid": ndr_pack(security.dom_sid(f"{domain_sid}-{rid}"))})
    for name, value in values.items():
        vals = value if isinstance(value, list) else [value]
        msg[name] = ldb.MessageElement([v if isinstance(v, bytes) else str(v).encode() for v in vals],
                                       ldb.FLAG_MOD_ADD, name)
    raw.add(msg)

raw.transaction_start()
for i in range(users):
    values = {"sAMAccountName": f"k{i:06}", "displayName": f"職員 {i:06}",
              "userAccountControl": 66048 if i % 50 == 0 else 512}  # every 50th: never expires
    if i % 200 == 0:
        values["servicePrincipalName"] = f"HTTP/app{i}.bench.test"
    clone(user, f"CN=k{i:06},OU=Staff,{base}", 100000 + i, values)
for i in range(computers):
    clone(computer, f"CN=PC{i:06},OU=PCs,{base}", 200000 + i,
          {"sAMAccountName": f"PC{i:06}$", "dNSHostName": f"pc{i:06}.bench.test"})
raw.transaction_commit()
print(f"cloned {users} users and {computers} computers in {time.time() - started:.1f} s", flush=True)
restore = ldb.Message(ldb.Dn(raw, "@INDEXLIST"))
for name in index_list.keys():
    if name.lower() not in ("dn", "distinguishedname"):
        restore[name] = ldb.MessageElement([bytes(v) for v in index_list[name]], ldb.FLAG_MOD_REPLACE, name)
raw.modify(restore)
del raw
print(f"indexes restored in {time.time() - started:.1f} s", flush=True)
