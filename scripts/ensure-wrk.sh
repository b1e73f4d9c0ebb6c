#!/usr/bin/env bash
# Makes sure wrk, the HTTP load generator of bench:redirect, is installed (Debian's package);
# installs it if it is missing. Without it the benchmark measures with autocannon alone.
set -euo pipefail

if command -v wrk >/dev/null 2>&1; then exit 0; fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
  echo "wrk is missing and this needs root: $*" >&2; exit 1; fi; }

echo "Installing wrk from Debian's packages…" >&2
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null

if ! command -v wrk >/dev/null 2>&1; then
  echo "wrk did not install" >&2
  exit 1
fi
