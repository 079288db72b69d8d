#!/usr/bin/env bash
# The long reliability run (RELIABILITY.md): installs what the tests need, runs the whole suite with the `long`
# profile's counts (many more kills, cuts, faults and cases than CI's short run, about 1.5 hours on 2 cores), then
# prints the figures every reliability test published as one table, also written to target/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --tests
rm -f target/reliability-figures.tsv
mvn -B verify -Plong "$@"
python3 scripts/reliability-table.py target/reliability-figures.tsv | tee target/reliability.md
