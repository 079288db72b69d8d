#!/usr/bin/env bash
# Installs with apt-get (sudo when not root) what is missing on Debian/Ubuntu. Safe to run again.
#   scripts/install-deps.sh           what building and running ShareMirror needs:
#                                     openjdk-17-jdk (not -headless: the tray and dashboard need AWT's X11 libraries;
#                                     jpackage for the packages) and maven
#   scripts/install-deps.sh --tests   that, and what the tests need:
#                                     sqlite3 python3: the third-party writers the tests drive
#                                     python3-sqlalchemy: a Python ORM application on a replica
#                                     (ApplicationTransactionsTest, the benchmark's B10)
#                                     python3-alembic: a real migration tool run on a replica's path (issue 12's tests)
#                                     python3-django: a real web framework's migrations and ORM on a replica's path
#                                     (DjangoOnTwoDesktopsTest)
#                                     xvfb x11-utils xdotool trayer tint2 imagemagick: a display, tray hosts, screenshots
#                                     dbus-daemon dbus-bin xfce4-panel xfce4-notifyd: a private session bus with a real
#                                     StatusNotifierItem host and notification server for the tray tests
#                                     samba smbnetfs fuse3 libfuse2: the real SMB share and the FUSE fault filesystem
#                                     fakeroot binutils: jpackage's Linux package; strace procps: share operations,
#                                     child processes
#                                     faketime: libfaketime, which gives a test desktop a wrong clock (ClockSkewTest)
#                                     postgresql: the server binaries for the PostgreSQL hub's tests (issue 17)
# The tests start their own smbd on a free port; a samba package installed here does not stay enabled at boot.
# The tests start their own PostgreSQL cluster in a temporary folder (PostgresServer): Debian's package would create
# and start a system cluster 15/main, so a drop-in in createcluster.d tells it to create none; with no cluster,
# postgresql.service has nothing to start, and it is disabled as well, as smbd is.
set -euo pipefail
packages=(openjdk-17-jdk maven)
tests=(sqlite3 python3 python3-sqlalchemy python3-alembic python3-django procps strace xvfb x11-utils xdotool trayer tint2 imagemagick
       dbus-daemon dbus-bin xfce4-panel xfce4-notifyd samba smbnetfs fuse3 libfuse2 fakeroot binutils faketime postgresql)
case "${1:-}" in
  "") ;;
  --tests) packages+=("${tests[@]}") ;;
  *) echo "install-deps: unknown option '$1'; use no option (to build and run) or --tests" >&2; exit 2 ;;
esac
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  if [[ " ${missing[*]} " == *" postgresql "* ]]; then
    $sudo_cmd mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" |
      $sudo_cmd tee /etc/postgresql-common/createcluster.d/sharemirror-tests.conf >/dev/null
  fi
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}"
  if [[ " ${missing[*]} " == *" samba "* ]] && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    $sudo_cmd systemctl disable --now smbd nmbd samba-ad-dc 2>/dev/null || true
  fi
  if [[ " ${missing[*]} " == *" postgresql "* ]] && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    $sudo_cmd systemctl disable --now postgresql 2>/dev/null || true
  fi
fi
