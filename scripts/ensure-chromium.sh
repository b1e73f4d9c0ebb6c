#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the browser tests of the /k.js snippet
# (test/snippet.browser.test.ts drives it with playwright-core); installs it if it is missing.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then exit 0; fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
  echo "Chromium is missing and this needs root: $*" >&2; exit 1; fi; }

echo "Installing Chromium from Debian's packages…" >&2
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

if [ ! -x /usr/bin/chromium ]; then
  echo "Chromium did not install at /usr/bin/chromium" >&2
  exit 1
fi
