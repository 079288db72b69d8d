#!/usr/bin/env bash
# Builds the macOS application of ShareMirror with jpackage, into target/packaging/:
#   ShareMirror.app                 the application bundle, with the icon drawn from icons/app.svg
#   ShareMirror-<version>.dmg       a disk image to drag it into Applications from
# Run on macOS with JDK 17+ and target/sharemirror.jar (mvn -B -DskipTests package). The bundle is not
# signed; see --mac-sign in `jpackage --help` for distribution outside this machine.
# Not yet run on a Mac: written from jpackage's documented options.
source "$(dirname "$0")/lib.sh"

# A macOS bundle version (CFBundleVersion) must start at 1, and jpackage refuses 0.x on macOS.
[[ ! "$APP_VERSION" =~ ^0+(\.|$) ]] || fail "jpackage on macOS refuses app version $APP_VERSION: the first number" \
  "must be at least 1; choose the version to ship, e.g. APP_VERSION=1.0.0 $0"
prepare_inputs

jpackage --type app-image "${COMMON_OPTIONS[@]}" --icon "$OUT/icons/ShareMirror.icns" \
  --mac-package-identifier io.sharemirror.ShareMirror --mac-package-name ShareMirror

# The .dmg wraps that same bundle, so the runtime is linked once.
jpackage --type dmg --app-image "$OUT/ShareMirror.app" --name ShareMirror --app-version "$APP_VERSION" \
  --vendor ShareMirror --dest "$OUT"

ls -1 "$OUT"/*.dmg
