#!/usr/bin/env bash
# Builds the Linux app image and .deb of ShareMirror with jpackage, into target/packaging/:
#   ShareMirror/                          the app image; ShareMirror/bin/ShareMirror is the launcher
#   sharemirror_<version>-1_<arch>.deb    installs it under /opt/sharemirror with a menu entry
# Needs target/sharemirror.jar (mvn -B -DskipTests package), JDK 17+, and fakeroot and dpkg-deb for the
# .deb (scripts/install-deps.sh --tests installs them). APP_VERSION overrides the pom's version.
source "$(dirname "$0")/lib.sh"
prepare_inputs

jpackage --type app-image "${COMMON_OPTIONS[@]}" --icon "$OUT/icons/ShareMirror-512.png"

# The .deb wraps that same image, so the runtime is linked once.
jpackage --type deb --app-image "$OUT/ShareMirror" --name ShareMirror --app-version "$APP_VERSION" \
  --vendor ShareMirror --description "$DESCRIPTION" \
  --icon "$OUT/icons/ShareMirror-512.png" \
  --linux-package-name sharemirror --linux-app-category utils --linux-menu-group Utility --linux-shortcut \
  --dest "$OUT"

ls -1 "$OUT"/*.deb
