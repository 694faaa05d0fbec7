#!/usr/bin/env bash
# Makes Debian's redis-server available for the Redis queue tests, and starts one on loopback.
# The tests start their own throwaway redis-server on a random loopback port (so they never touch a
# shared instance); the daemon started here (127.0.0.1:6379, no persistence) serves manual runs,
# e.g. `REDIS_URL=redis://127.0.0.1:6379 npm start`.
set -euo pipefail

if ! command -v redis-server >/dev/null 2>&1; then
  echo "== installing redis-server (Debian package)"
  SUDO=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends redis-server >/dev/null
fi
echo "== $(redis-server --version)"

if command -v redis-cli >/dev/null 2>&1 && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "== redis already answering on 127.0.0.1:6379"
else
  redis-server --bind 127.0.0.1 --port 6379 --save '' --appendonly no --protected-mode yes --daemonize yes --loglevel warning
  for _ in $(seq 1 50); do
    if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then break; fi
    sleep 0.1
  done
  echo "== redis-server started on 127.0.0.1:6379"
fi
