#!/usr/bin/env bash
# Every test, on a fresh machine: installs what the tests need, builds and runs the whole suite, then builds
# the Linux package and starts it from its launcher. Prints the reliability tests' figures (RELIABILITY.md) on the way.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --tests
rm -f target/reliability-figures.tsv
mvn -B verify "$@"
python3 scripts/reliability-table.py target/reliability-figures.tsv
bash packaging/smoke-linux.sh
