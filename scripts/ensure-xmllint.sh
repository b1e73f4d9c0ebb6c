#!/usr/bin/env bash
# Makes sure xmllint (Debian's libxml2-utils) is installed: the payout tests validate every SEPA
# file they write against the ISO 20022 schemas in test/fixtures/iso20022/ with it.
set -euo pipefail

if command -v xmllint >/dev/null 2>&1; then exit 0; fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
  echo "xmllint is missing and this needs root: $*" >&2; exit 1; fi; }

echo "Installing xmllint (libxml2-utils) from Debian's packages…" >&2
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxml2-utils >/dev/null

if ! command -v xmllint >/dev/null 2>&1; then
  echo "xmllint did not install" >&2
  exit 1
fi
