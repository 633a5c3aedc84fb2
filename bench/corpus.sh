# Corpora built from the shared data, sourced by bench/hunt.sh and bench/before-after.sh.
# (The data is read in place from ../shared/data and copied only into a temporary folder.)

# evtx_corpus DATA OUT COPIES: the shared EVTX files copied COPIES times into OUT.
evtx_corpus() {
  mkdir -p "$2"
  for i in $(seq 1 "$3"); do
    find "$1/evtx" -name '*.evtx' | while read -r f; do cp "$f" "$2/$i-$(basename "$f")"; done
  done
}

# ssh_corpus DATA OUT COPIES: loghub's OpenSSH_2k.log repeated COPIES times into the file OUT,
# each copy dated another day of the year (the same attackers coming back, as on a real
# server), so no two copies are identical and the file is read as one large log.
ssh_corpus() {
  python3 - "$1/syslog/loghub/OpenSSH_2k.log" "$3" "$2" <<'PY'
import datetime, sys
lines = open(sys.argv[1]).read().splitlines(keepends=True)
base = datetime.date(2025, 1, 1)
with open(sys.argv[3], "w") as out:
    for i in range(int(sys.argv[2])):
        d = base + datetime.timedelta(days=i % 365)
        prefix = d.strftime("%b ") + "%2d " % d.day
        out.write("".join(prefix + l[7:] for l in lines))
PY
}
