#!/usr/bin/env bash
# The operator page's browser test drives Debian's Chromium through Playwright (no browser download).
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then exit 0; fi
if [[ "$(id -u)" -ne 0 ]]; then
  echo "Chromium is missing and this is not root: install the 'chromium' package (the browser test will be skipped)." >&2
  exit 0
fi
echo "==> installing Debian's chromium for the browser test"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends chromium >/dev/null
