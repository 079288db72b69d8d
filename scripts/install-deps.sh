#!/usr/bin/env bash
# Installs what building, running and testing ShareMirror need on Debian/Ubuntu. Safe to run again.
#   openjdk-17-jdk (not -headless): the tray and dashboard need AWT's X11 libraries; jpackage
#   maven sqlite3 python3: build, and the third-party writers the tests drive
#   python3-sqlalchemy: a Python ORM application on a replica (ApplicationTransactionsTest, the benchmark's B10)
#   python3-alembic: a real migration tool run on a replica's path (issue 12's tests)
#   xvfb x11-utils xdotool trayer tint2 imagemagick: a display, a tray host and screenshots for GUI tests
#   dbus-daemon dbus-bin xfce4-panel xfce4-notifyd: a private session bus (dbus-run-session, dbus-send,
#     dbus-monitor) with a real StatusNotifierItem host and notification server for the tray tests
#   samba smbnetfs fuse3 libfuse2: the real SMB share and the FUSE fault filesystem (DESIGN.md §9)
#   fakeroot binutils: jpackage's Linux package; strace procps: counting share operations, child processes
#   faketime: libfaketime, which gives a test desktop a wrong clock (ClockSkewTest)
set -euo pipefail
packages=(openjdk-17-jdk maven sqlite3 python3 python3-sqlalchemy python3-alembic procps strace
          xvfb x11-utils xdotool trayer tint2 imagemagick
          dbus-daemon dbus-bin xfce4-panel xfce4-notifyd
          samba smbnetfs fuse3 libfuse2 fakeroot binutils faketime)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
