#!/usr/bin/env bash
# The browser for the end-to-end tests (tests/web/test_browser.py): Debian's chromium, installed
# from the package archive when missing (nothing is downloaded by a test tool). Run as root on
# Debian; prints the browser's path on stdout, progress on stderr.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
    echo "browser: installing Debian's chromium" >&2
    apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >&2
fi
command -v chromium
