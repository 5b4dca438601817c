#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh machine: system packages first
# (apt-get, as root, as on CI), then govkg itself in editable mode with its test extra, at locked versions.
# Safe to run again: every step is idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
APT_UPDATED=""
apt_update_once() {  # one 'apt-get update' however many packages are missing
  if [ -z "$APT_UPDATED" ]; then $SUDO apt-get update -qq; APT_UPDATED=1; fi
}

# Virtuoso Open Source: one of the SPARQL servers the shared store suite runs against
# (tests/graph/conftest.py starts it with a database of its own). Debian's package asks
# for a dba password and starts a system service; the tests use neither, so the question
# is preseeded and policy-rc.d (where present) keeps the service from starting.
if ! command -v virtuoso-t >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  printf '%s\n' \
    "virtuoso-opensource-7 virtuoso-opensource-7/dba-password password dba" \
    "virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password dba" \
    | $SUDO debconf-set-selections 2>/dev/null || true
  apt_update_once
  $SUDO apt-get install -y -qq --no-install-recommends virtuoso-opensource >/dev/null
  # the package's own server is not needed: the tests start theirs on free ports
  $SUDO service virtuoso-opensource-7 stop >/dev/null 2>&1 || true
fi

# Debian's Chromium and ChromeDriver: the web-service tests drive the pages in a real
# headless browser (tests/api/test_browser.py, through playwright, which must never
# download a browser of its own).
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt_update_once
  $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# Tesseract: `govkg import --ocr` reads scanned PDFs through it (tests/graph/documents).
if ! command -v tesseract >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt_update_once
  $SUDO apt-get install -y -qq --no-install-recommends tesseract-ocr tesseract-ocr-eng >/dev/null
fi

# Python packages at the versions the suite last passed with (constraints.txt, written by
# scripts/lock.sh); pyproject.toml keeps the wider ranges users install with.
python3 -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
