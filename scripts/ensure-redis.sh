#!/usr/bin/env bash
# Makes sure a Redis server answers on 127.0.0.1:6379 for the test suite: starts one if it is
# installed but stopped, and installs it from Debian's packages if it is missing.
set -euo pipefail

ready() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

if command -v redis-cli >/dev/null 2>&1 && ready; then exit 0; fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
  echo "Redis is not running and this needs root: $*" >&2; exit 1; fi; }

if ! command -v redis-server >/dev/null 2>&1; then
  echo "Installing Redis from Debian's packages…" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi

# A throwaway server for tests: nothing is written to disk.
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no >/dev/null

for _ in $(seq 1 30); do ready && exit 0; sleep 0.5; done
echo "Redis did not start on 127.0.0.1:6379" >&2
exit 1
