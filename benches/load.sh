#!/usr/bin/env bash
# HTTP load benchmark: a release server on a freshly seeded SQLite database (a profile with 50
# candidates x 9 competencies x 3 scorecards, and a candidate list of 200), measured with wrk
# (Debian's package) at 32 connections. Prints, in one run, requests per second and p99 latency
# for /healthz, the candidate list and the comparison page, each page's throughput as a ratio to
# /healthz. Then the same on a database of 100,000 candidates for the API's candidate list: a
# first page, a search for one person ("sofie vest") and a search by one letter ("s"), the
# worst case, the pipeline board of a profile with 300 applications, and the candidate list page
# (signed in): its first page, a search, and the latest activity at one stage. The public
# job page (anonymous) is measured on the first database. Targets on
# the 2-core project machine: comparison p99 <= 10 ms, list >= 5,000 req/s, the API's first
# page and a search p99 <= 10 ms at 100,000 candidates, the board p99 <= 15 ms, the public job
# page >= 5,000 req/s.
# Last, applications on the public job page, each with a 1 MB PDF, at 4 and at 32 connections
# (each from its own client address, through a trusted proxy's X-Forwarded-For, as the limit per
# address would otherwise refuse them): applications per second, p99, and the server's peak
# resident memory after each, which must not grow by more than the bounded body (20 MB) per
# application in flight. The second run keeps 31 applications in flight and, halfway through,
# sends a 32nd that brings a 2 MB PDF whose page stream inflates to 2 GiB (a "PDF bomb"): it must be accepted (303), its
# text left unread, and the server's peak memory must not move with it; the run also reports
# the peak of the document readers (child processes, 128 MiB of address space each). Last of
# all, the public form with new addresses against one a candidate already has: its answer and
# its work are the same either way, so the medians should be too.
#
# Usage: bash benches/load.sh [SECONDS per page, default 10] [CANDIDATES of the API run, default 100000]
set -euo pipefail

duration="${1:-10}"
many="${2:-100000}"
connections=32
threads=2
root="$(cd "$(dirname "$0")/.." && pwd)"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

cd "$root"
cargo build --release --quiet --bin amfit --example seed_load

work="$(mktemp -d)"
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

email="load@amfit.test"
password="a long load-test passphrase"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"

# Seeds a new database of $1 candidates (named $2, when one of that size was seeded before) and
# serves it; sets profile, token and server.
serve_seeded() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    local database="sqlite:$work/load-$1${2:+-$2}.db"
    read -r profile token board <<<"$(target/release/examples/seed_load "$database" "$email" "$password" "$1")"
    # Request logs go to a file, as in a deployment that ships them; warnings only, to measure the app.
    RUST_LOG=warn target/release/amfit --database-url "$database" --bind "127.0.0.1:$port" serve \
        --trusted-proxy 127.0.0.1 2>"$work/server.log" &
    server=$!
    for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done
}
serve_seeded 200

# Signs in as a browser does (the login form's visitor cookie and CSRF token, then the form);
# sets cookie.
sign_in() {
    local jar="$work/cookies"
    rm -f "$jar"
    local csrf
    csrf="$(curl -fs -c "$jar" "$base/login" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n1)"
    curl -fs -o /dev/null -b "$jar" -c "$jar" --data-urlencode "email=$email" --data-urlencode "password=$password" \
        --data-urlencode "csrf_token=$csrf" "$base/login"
    # curl writes HttpOnly cookies with a "#HttpOnly_" prefix, which is not a comment.
    cookie="$(sed 's/^#HttpOnly_//' "$jar" | awk '!/^#/ && NF >= 7 && $6 == "amfit_session" { print $6 "=" $7 }')"
    [ -n "$cookie" ] || { echo "could not sign in" >&2; exit 1; }
}
sign_in
for path in /candidates "/profiles/$profile/comparison" /jobs/account-manager-load; do
    status="$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base$path")"
    [ "$status" = 200 ] || { echo "$path answered $status" >&2; exit 1; }
done

# wrk prints "Requests/sec: N" and, with --latency, a "99% T" line with a unit (us, ms, s).
# $2 is the header that authenticates: the browser's cookie unless given.
measure() {
    local path="$1"
    local credential="${2:-Cookie: $cookie}"
    local output
    output="$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -H "$credential" "$base$path")"
    if grep -q "Non-2xx" <<<"$output"; then echo "$path: non-2xx answers under load" >&2; echo "$output" >&2; exit 1; fi
    local rps p99
    rps="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$output")"
    p99="$(percentile_ms 99% "$output")"
    if [ "${2:-}" = median ]; then echo "$rps $(percentile_ms 50% "$output") $p99"; else echo "$rps $p99"; fi
}
# The latency at percentile $1 ("50%", "99%") in wrk's output $2, in ms.
percentile_ms() {
    awk -v p="$1" '$1 == p { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.2f", v }' <<<"$2"
}

echo "amfit load test: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, wrk -t$threads -c$connections -d${duration}s, SQLite"
read -r health_rps health_p99 <<<"$(measure /healthz)"
read -r list_rps list_p99 <<<"$(measure /candidates)"
read -r compare_rps compare_p99 <<<"$(measure "/profiles/$profile/comparison")"
# Anyone's request: no cookie, no token; a language, as a browser sends.
read -r job_rps job_p99 <<<"$(measure /jobs/account-manager-load "Accept-Language: da")"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf '| %-42s | %10s | %8s | %17s |\n' "page" "req/s" "p99 ms" "ratio to /healthz"
printf '| %-42s | %10s | %8s | %17s |\n' "----" "-----" "------" "-----------------"
printf '| %-42s | %10.0f | %8s | %17s |\n' "/healthz" "$health_rps" "$health_p99" "1.00"
printf '| %-42s | %10.0f | %8s | %17s |\n' "/candidates (200 candidates)" "$list_rps" "$list_p99" "$(ratio "$list_rps" "$health_rps")"
printf '| %-42s | %10.0f | %8s | %17s |\n' "/profiles/$profile/comparison (50 x 9 x 3)" "$compare_rps" "$compare_p99" "$(ratio "$compare_rps" "$health_rps")"
printf '| %-42s | %10.0f | %8s | %17s |\n' "/jobs/account-manager-load (anonymous)" "$job_rps" "$job_p99" "$(ratio "$job_rps" "$health_rps")"

serve_seeded "$many"
bearer="Authorization: Bearer $token"
for path in "/api/v1/candidates?limit=50" "/api/v1/candidates?limit=50&q=sofie+vest"; do
    status="$(curl -s -o /dev/null -w '%{http_code}' -H "$bearer" "$base$path")"
    [ "$status" = 200 ] || { echo "$path answered $status" >&2; exit 1; }
done
sign_in
status="$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base/profiles/$board/pipeline")"
[ "$status" = 200 ] || { echo "the pipeline board answered $status" >&2; exit 1; }
read -r health_rps health_p99 <<<"$(measure /healthz "$bearer")"
read -r first_rps first_p99 <<<"$(measure "/api/v1/candidates?limit=50" "$bearer")"
read -r person_rps person_p99 <<<"$(measure "/api/v1/candidates?limit=50&q=sofie+vest" "$bearer")"
read -r letter_rps letter_p99 <<<"$(measure "/api/v1/candidates?limit=50&q=s" "$bearer")"
read -r board_rps board_p99 <<<"$(measure "/profiles/$board/pipeline")"
read -r page_rps page_p99 <<<"$(measure "/candidates")"
read -r page_search_rps page_search_p99 <<<"$(measure "/candidates?q=sofie+vest")"
read -r page_activity_rps page_activity_p99 <<<"$(measure "/candidates?sort=activity&stage=screening")"
echo
echo "The API's candidate list at $many candidates:"
printf '| %-42s | %10s | %8s | %17s |\n' "request" "req/s" "p99 ms" "ratio to /healthz"
printf '| %-42s | %10s | %8s | %17s |\n' "-------" "-----" "------" "-----------------"
printf '| %-42s | %10.0f | %8s | %17s |\n' "/healthz" "$health_rps" "$health_p99" "1.00"
printf '| %-42s | %10.0f | %8s | %17s |\n' "/api/v1/candidates?limit=50" "$first_rps" "$first_p99" "$(ratio "$first_rps" "$health_rps")"
printf '| %-42s | %10.0f | %8s | %17s |\n' "/api/v1/candidates?limit=50&q=sofie+vest" "$person_rps" "$person_p99" "$(ratio "$person_rps" "$health_rps")"
printf '| %-42s | %10.0f | %8s | %17s |\n' "/api/v1/candidates?limit=50&q=s" "$letter_rps" "$letter_p99" "$(ratio "$letter_rps" "$health_rps")"
printf '| %-42s | %10.0f | %8s | %17s |\n' "/candidates (the page, signed in)" "$page_rps" "$page_p99" "$(ratio "$page_rps" "$health_rps")"
printf '| %-42s | %10.0f | %8s | %17s |\n' "/candidates?q=sofie+vest" "$page_search_rps" "$page_search_p99" "$(ratio "$page_search_rps" "$health_rps")"
printf '| %-42s | %10.0f | %8s | %17s |\n' "/candidates?sort=activity&stage=screening" "$page_activity_rps" "$page_activity_p99" "$(ratio "$page_activity_rps" "$health_rps")"
printf '| %-42s | %10.0f | %8s | %17s |\n' "/profiles/$board/pipeline (300 applications)" "$board_rps" "$board_p99" "$(ratio "$board_rps" "$health_rps")"

# Two PDFs of one page each. The CV: a real PDF with a line of text, and an unreferenced stream
# of 1 MB that no reader has to look at. The bomb: a page whose content stream, 2 MB packed,
# inflates to 2 GiB of drawing operators.
python3 - "$work/cv.pdf" "$work/bomb.pdf" <<'PDF'
import os, sys, zlib

def one_page(path, contents, extra=()):
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        contents,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *extra,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    open(path, "wb").write(out)

def stream(data, filters=b""):
    return b"<< /Length %d%s >>\nstream\n" % (len(data), filters) + data + b"\nendstream"

line = b"BT /F1 12 Tf 72 720 Td (Load test CV of an account manager) Tj ET\n"
one_page(sys.argv[1], stream(line), [stream(os.urandom(1024 * 1024))])

# Each mebibyte one drawing operator and white space, which packs about a thousand times.
operator = b"BT /F1 12 Tf 72 712 Td (Account manager) Tj ET\n"
chunk = operator + b" " * (1024 * 1024 - len(operator))
packer = zlib.compressobj(9)
packed = b"".join(packer.compress(chunk) for _ in range(2048)) + packer.flush()
one_page(sys.argv[2], stream(packed, b" /Filter /FlateDecode"))
PDF
cat >"$work/apply.lua" <<'LUA'
-- Each application from its own address and email; the body is built once around the PDF.
local file = io.open(os.getenv("AMFIT_LOAD_CV"), "rb")
local cv = file:read("*a")
file:close()
local boundary = "amfit-load-boundary"
local head = "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nLoad Applicant\r\n"
    .. "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\n"
local tail = "\r\n--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"cv\"; filename=\"cv.pdf\"\r\n"
    .. "Content-Type: application/pdf\r\n\r\n" .. cv .. "\r\n--" .. boundary .. "--\r\n"
-- With AMFIT_LOAD_EMAIL, every application gives that one address (a known candidate's).
local email = os.getenv("AMFIT_LOAD_EMAIL")
local threads = {}
local thread_id = 0
function setup(thread)
    thread_id = thread_id + 1
    thread:set("thread_id", thread_id)
    table.insert(threads, thread)
end
sent = 0
unexpected = 0
function response(status)
    if status ~= 303 then unexpected = unexpected + 1 end
end
function done()
    local total = 0
    for _, thread in ipairs(threads) do total = total + thread:get("unexpected") end
    io.write("unexpected answers: " .. total .. "\n")
end
function request()
    sent = sent + 1
    local n = thread_id * 10000000 + sent
    local headers = {
        ["Content-Type"] = "multipart/form-data; boundary=" .. boundary,
        ["X-Forwarded-For"] = string.format("10.%d.%d.%d", thread_id, math.floor(sent / 250) % 250, sent % 250),
    }
    return wrk.format("POST", "/jobs/account-manager-load/apply", headers, head .. (email or ("load" .. n .. "@example.dk")) .. tail)
end
LUA
# The server's peak resident memory so far (VmHWM), in MB.
peak_mb() { awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status"; }
# Applications per second and p99 (and with $2 "median", the median too) at $1 connections;
# answers must all be the redirect (303).
measure_applications() {
    local output
    output="$(AMFIT_LOAD_CV="$work/cv.pdf" wrk -t"$threads" -c"$1" -d"${duration}s" --latency -s "$work/apply.lua" "$base")"
    if ! grep -q "^unexpected answers: 0$" <<<"$output"; then
        echo "applications: not every answer was the 303 to the confirmation" >&2; echo "$output" >&2; exit 1
    fi
    local rps p99
    rps="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$output")"
    p99="$(percentile_ms 99% "$output")"
    if [ "${2:-}" = median ]; then echo "$rps $(percentile_ms 50% "$output") $p99"; else echo "$rps $p99"; fi
}
# The latency at percentile $1 ("50%", "99%") in wrk's output $2, in ms.
percentile_ms() {
    awk -v p="$1" '$1 == p { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.2f", v }' <<<"$2"
}
# Sends the bomb as an application from an address of its own once half the run has passed,
# and writes its answer's status; meanwhile samples the document readers' resident memory.
send_bomb() {
    sleep "$((duration / 2))"
    # A client told 503 (as many applications in flight as are read at once) tries again, as told.
    curl -s --retry 20 --retry-delay 1 -o /dev/null -w '%{http_code}' -H "X-Forwarded-For: 192.0.2.1" \
        -F "name=Bo Bomb" -F "email=bo.bomb@example.dk" -F "cv=@$work/bomb.pdf;type=application/pdf" \
        "$base/jobs/account-manager-load/apply" >"$work/bomb.status"
}
# The largest resident memory (MB) of any document reader seen while the run lasts.
sample_readers() {
    local peak=0 rss
    while [ ! -s "$work/bomb.status" ] || kill -0 "$wrk_pid" 2>/dev/null; do
        for pid in $(pgrep -P "$server" 2>/dev/null); do
            rss="$(awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null || echo 0)"
            [ "${rss:-0}" -gt "$peak" ] && peak="$rss"
        done
        sleep 0.05
    done
    echo "$peak" >"$work/readers.peak"
}
serve_seeded 200 applications
idle_mb="$(peak_mb)"
read -r few_rps few_p99 <<<"$(measure_applications 4)"
few_mb="$(peak_mb)"
send_bomb &
bomb_pid=$!
# 31 and the bomb: the 32 applications the server reads at once.
measure_applications "$((connections - 1))" >"$work/many" &
wrk_pid=$!
sample_readers &
sampler_pid=$!
wait "$wrk_pid"
wait "$bomb_pid"
wait "$sampler_pid"
read -r many_rps many_p99 <"$work/many"
many_mb="$(peak_mb)"
bomb_status="$(cat "$work/bomb.status")"
[ "$bomb_status" = 303 ] || { echo "the bomb's application answered $bomb_status, not 303" >&2; exit 1; }
received="$(curl -fs -H "Authorization: Bearer $token" "$base/api/v1/candidates?limit=1&q=load" -o /dev/null -w '%{http_code}')"
[ "$received" = 200 ] || { echo "the candidate list answered $received after the applications" >&2; exit 1; }
echo
echo "Applications with a 1 MB PDF on /jobs/account-manager-load (server peak memory after starting: $idle_mb MB):"
printf '| %-42s | %10s | %8s | %15s |\n' "connections" "apps/s" "p99 ms" "peak memory MB"
printf '| %-42s | %10s | %8s | %15s |\n' "-----------" "------" "------" "--------------"
printf '| %-42s | %10.1f | %8s | %15s |\n' "4" "$few_rps" "$few_p99" "$few_mb"
printf '| %-42s | %10.1f | %8s | %15s |\n' "$((connections - 1)) and a 2 GiB PDF bomb sent halfway" "$many_rps" "$many_p99" "$many_mb"
echo "The bomb's application: $bomb_status; the document readers' peak resident memory: $(cat "$work/readers.peak") MB."

# The public form gives one answer, with the same work, whoever the address names: new
# addresses against one that a candidate already has (and that has applied to this job many
# times by now), one run after the other at 4 connections.
read -r new_rps new_p50 new_p99 <<<"$(measure_applications 4 median)"
read -r known_rps known_p50 known_p99 <<<"$(AMFIT_LOAD_EMAIL=load10000001@example.dk measure_applications 4 median)"
echo
echo "The public form, a new address against a known one (4 connections, a 1 MB PDF each):"
printf '| %-30s | %10s | %10s | %8s |\n' "address" "apps/s" "median ms" "p99 ms"
printf '| %-30s | %10s | %10s | %8s |\n' "-------" "------" "---------" "------"
printf '| %-30s | %10.1f | %10s | %8s |\n' "new each time" "$new_rps" "$new_p50" "$new_p99"
printf '| %-30s | %10.1f | %10s | %8s |\n' "a known candidate's" "$known_rps" "$known_p50" "$known_p99"
awk -v k="$known_p50" -v n="$new_p50" 'BEGIN { printf "Median, known / new: %.2f\n", k / n }'
