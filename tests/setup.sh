#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh machine: system packages first
# (apt-get, as root, as on CI), then govkg itself in editable mode with its test extra.
# Safe to run again: every step is idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
