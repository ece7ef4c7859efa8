#!/usr/bin/env bash
# Install Debian's chromium for the browser tests (tests/test_web_browser.py), if missing.
# Idempotent: does nothing when a chromium is already there. Playwright's own browser
# download (`playwright install`) is never used. Needs root (or sudo) for apt-get.
set -euo pipefail

if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-browser: chromium is missing and this is not root; the browser tests will be skipped" >&2
    exit 0
  fi
fi
echo "install-browser: installing Debian's chromium (apt-get)"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
command -v chromium >/dev/null 2>&1 && echo "install-browser: $(chromium --version 2>/dev/null || echo chromium installed)"
