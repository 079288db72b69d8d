#!/usr/bin/env bash
# Every test, on a fresh machine: installs what the tests need, builds and runs the whole suite, then builds
# the Linux package and starts it from its launcher.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
mvn -B verify "$@"
bash packaging/smoke-linux.sh
