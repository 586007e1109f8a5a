#!/usr/bin/env bash
# Outbox benchmark: how fast a release server delivers a queue of letters to a local SMTP server
# (Python's aiosmtpd, which takes and drops each message), and whether its memory stays flat
# while the queue is long. 10,000 queued letters (a receipt's size, text and HTML) are written
# to a fresh SQLite database, then `amfit serve --smtp-url` starts and sends them. Prints, from
# one run: the letters per second over the whole queue, the median and the slowest of the
# per-second rates, and the server's resident memory at the start, at its peak and at the end.
# Target on the 2-core project machine: at least 50 letters a second, memory flat (the peak within
# a few MB of the start, whatever the queue's length).
#
# Usage: bash benches/outbox.sh [LETTERS, default 10000]
set -euo pipefail

letters="${1:-10000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: apt-get install sqlite3" >&2; exit 1; }
python3 -c "import aiosmtpd" 2>/dev/null || { echo "aiosmtpd is missing: pip install aiosmtpd==1.4.6" >&2; exit 1; }
cd "$root"
cargo build --release --quiet --bin amfit

work="$(mktemp -d)"
server=""
smtpd=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null || true
    [ -n "$smtpd" ] && kill "$smtpd" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

database="$work/amfit.db"
AMFIT_RUBRICS="$root/rubrics" "$root/target/release/amfit" --database-url "sqlite:$database" migrate 2>/dev/null
now="$(date -u +%Y-%m-%dT%H:%M:%S+00:00)"
sqlite3 "$database" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $letters)
INSERT INTO outbox (message_id, kind, recipient, language, subject, body_text, body_html, next_attempt_at, created_at)
SELECT 'bench-' || i, 'receipt', 'candidate' || i || '@example.dk', 'da', 'Tak for din ansøgning til stillingen som Account Manager',
       printf('%.*c', 900, 'x'), '<!DOCTYPE html><html lang="da"><body><p>' || printf('%.*c', 900, 'x') || '</p></body></html>', '$now', '$now'
FROM n;
SQL

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Sink &
smtpd=$!
for _ in $(seq 50); do (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

AMFIT_RUBRICS="$root/rubrics" AMFIT_BIND=127.0.0.1:0 RUST_LOG=amfit=warn "$root/target/release/amfit" \
    --database-url "sqlite:$database" --smtp-url "smtp://127.0.0.1:$port" --mail-from "amfit <amfit@example.dk>" serve &
server=$!
started="$(date +%s.%N)"
rss_start=""
rss_peak=0
rates=()
previous=0
while :; do
    sleep 1
    sent="$(sqlite3 "$database" "PRAGMA busy_timeout = 5000; SELECT COUNT(*) FROM outbox WHERE status = 'sent'" | tail -1)"
    rss="$(ps -o rss= -p "$server" | tr -d ' ')"
    [ -z "$rss_start" ] && rss_start="$rss"
    [ "$rss" -gt "$rss_peak" ] && rss_peak="$rss"
    rates+=("$((sent - previous))")
    previous="$sent"
    if [ "$sent" -ge "$letters" ]; then break; fi
    elapsed="$(echo "$(date +%s.%N) - $started" | bc)"
    if [ "$(echo "$elapsed > 900" | bc)" -eq 1 ]; then echo "gave up after 900 s with $sent sent" >&2; exit 1; fi
done
finished="$(date +%s.%N)"
failed="$(sqlite3 "$database" "SELECT COUNT(*) FROM outbox WHERE status <> 'sent'" | tail -1)"
seconds="$(echo "$finished - $started" | bc)"
sorted="$(printf '%s\n' "${rates[@]:0:${#rates[@]}-1}" | sort -n)"
median="$(echo "$sorted" | awk '{ a[NR] = $1 } END { if (NR == 0) print "n/a"; else print a[int((NR + 1) / 2)] }')"
slowest="$(echo "$sorted" | head -1)"
printf 'letters: %d sent, %d not sent, in %.1f s: %.0f letters/s (whole queue)\n' "$letters" "$failed" "$seconds" "$(echo "$letters / $seconds" | bc -l)"
printf 'per second (full seconds): median %s, slowest %s\n' "${median:-n/a}" "${slowest:-n/a}"
printf 'server resident memory: %d kB at the first second, %d kB peak, %d kB at the end\n' "$rss_start" "$rss_peak" "$(ps -o rss= -p "$server" | tr -d ' ')"
