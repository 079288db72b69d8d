#!/usr/bin/env bash
# The main job on a fresh machine: install, build, and mirror the demo share with the shipped config.yaml.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
mvn -B -q -DskipTests package
exec java -jar target/sharemirror.jar demo "$@"
