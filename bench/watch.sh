#!/usr/bin/env bash
# Sustained syslog ingest over TCP on loopback, side by side in one run: `mamori watch` (archive
# + live detections) and rsyslog (Debian's package; imtcp → omfile), the same sender
# (xtask syslog-load, CONNECTIONS connections, as fast as each receiver takes it) for SECONDS.
# Prints messages/s sent and stored (stored = sent means no loss) and the receivers' peak memory.
# Usage: bench/watch.sh [SECONDS] [CONNECTIONS]   (needs: apt-get install rsyslog)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"; connections="${2:-4}"
work="$(mktemp -d)"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
cargo build --release --quiet -p mamori -p xtask
bin=target/release/mamori
port() { python3 -c "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])"; }
wait_port() { until python3 -c "import socket;socket.create_connection(('127.0.0.1',$1),1)" 2>/dev/null; do sleep 0.1; done; }
peak() { awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' "/proc/$1/status"; }
load() { cargo run --release --quiet -p xtask -- syslog-load "127.0.0.1:$1" "$seconds" "$connections"; }
rate() { python3 -c "print(f'{$1/$2:,.0f}')"; }

echo "== mamori watch (archive + detections), $seconds s, $connections connections"
cp -r examples/demo-hospital "$work/site"
p=$(port)
"$bin" --db "$work/m.db" watch "$work/site" --syslog-tcp "127.0.0.1:$p" --format json > "$work/alerts.jsonl" 2> "$work/watch.log" &
pid=$!; pids+=("$pid"); wait_port "$p"
out=$(load "$p"); echo "$out"
sent=$(echo "$out" | awk '{print $2}')
mem=$(peak "$pid")
kill -TERM "$pid"; wait "$pid" || true
stored=$(cat "$work"/site/logs/received/127.0.0.1/*.log | wc -l)
echo "mamori: stored $stored of $sent ($(rate "$stored" "$seconds") messages/s), lost $((sent - stored)), peak RSS $mem, alerts $(wc -l < "$work/alerts.jsonl")"

if command -v rsyslogd > /dev/null || [ -x /usr/sbin/rsyslogd ]; then
  echo "== rsyslog (imtcp → omfile), $seconds s, $connections connections"
  p=$(port)
  mkdir -p "$work/rs"
  cat > "$work/rs/rsyslog.conf" <<CONF
global(workDirectory="$work/rs")
module(load="imtcp")
input(type="imtcp" port="$p" address="127.0.0.1")
*.* action(type="omfile" file="$work/rs/out.log")
CONF
  /usr/sbin/rsyslogd -n -f "$work/rs/rsyslog.conf" -i "$work/rs/pid" &
  pid=$!; pids+=("$pid"); wait_port "$p"
  out=$(load "$p"); echo "$out"
  sent=$(echo "$out" | awk '{print $2}')
  mem=$(peak "$pid")
  sleep 2; kill -TERM "$pid"; wait "$pid" || true
  stored=$(wc -l < "$work/rs/out.log")
  echo "rsyslog: stored $stored of $sent ($(rate "$stored" "$seconds") messages/s), lost $((sent - stored)), peak RSS $mem"
else
  echo "rsyslog is not installed (apt-get install rsyslog): no comparison"
fi
