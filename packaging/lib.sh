# Sourced by linux.sh and macos.sh: the inputs and options every jpackage run shares.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/target/sharemirror.jar"
OUT="$ROOT/target/packaging"
DESCRIPTION="Keeps SQLite databases on network shares mirrored on this computer"

fail() {
  echo "packaging: $*" >&2
  exit 2
}

[ -f "$JAR" ] || fail "$JAR is missing; build it first with: mvn -B -DskipTests package"
command -v jpackage >/dev/null || fail "jpackage is not on PATH; it ships with JDK 17 and later (Debian: openjdk-17-jdk)"

# The app version: APP_VERSION if set, else the pom's own (its first <version>: the pom has no <parent>)
# without -SNAPSHOT. jpackage takes one to three numbers separated by dots.
APP_VERSION="${APP_VERSION:-$(grep -m1 -o '<version>[^<]*</version>' "$ROOT/pom.xml" \
  | sed -e 's/<[^>]*>//g' -e 's/-SNAPSHOT$//')}"
[[ "$APP_VERSION" =~ ^[0-9]+(\.[0-9]+){0,2}$ ]] \
  || fail "app version '$APP_VERSION' is not one to three numbers separated by dots; set APP_VERSION, e.g. 1.2.0"

# jpackage copies everything in --input into the app, so it gets a folder holding only the jar; the icons are
# drawn from icons/app.svg by the jar itself. The runtime holds only the modules the jar uses (jdeps), not the
# whole JDK. Without arguments (a menu or desktop launch) the launcher runs the agent.
prepare_inputs() {
  rm -rf "$OUT"
  mkdir -p "$OUT/input" "$OUT/icons"
  cp "$JAR" "$OUT/input/"
  java -cp "$JAR" io.sharemirror.ui.IconExport "$OUT/icons" >/dev/null
  COMMON_OPTIONS=(
    --name ShareMirror
    --app-version "$APP_VERSION"
    --vendor ShareMirror
    --description "$DESCRIPTION"
    --input "$OUT/input"
    --main-jar sharemirror.jar
    --main-class io.sharemirror.app.Main
    --arguments run
    --add-modules "$(jdeps --multi-release 17 --ignore-missing-deps --print-module-deps "$JAR")"
    --dest "$OUT"
  )
}
