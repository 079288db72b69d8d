#!/usr/bin/env bash
# Every test, on a fresh machine: installs what the tests need, then builds and runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
mvn -B verify "$@"
