#!/usr/bin/env bash
# The main job on a fresh machine: install, build, mirror the demo share with the shipped config.yaml
# (an application's write and a direct write on the share, each arriving on the other side), then start
# ShareMirror itself: in the system tray, in a dashboard window where the desktop has no tray, or
# headless where there is no display (Ctrl-C stops it). SHAREMIRROR_DEMO_ONLY=1 skips the last step.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
mvn -B -q -DskipTests package
java -jar target/sharemirror.jar demo --config config.yaml "$@"
if [ "${SHAREMIRROR_DEMO_ONLY:-0}" = 1 ]; then
  exit 0
fi
echo "demo: starting ShareMirror (quit from its tray menu or dashboard; Ctrl-C when headless)"
exec java -jar target/sharemirror.jar run --config config.yaml
