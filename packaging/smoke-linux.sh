#!/usr/bin/env bash
# Builds the Linux app image and .deb (packaging/linux.sh), checks what the .deb installs, then starts the
# app image's launcher the way a user or script would, against a hub in a temporary folder: --help, status,
# sync, and the agent headless until SIGTERM; then as the menu entry starts it (no arguments, no config) on
# a display with a tray: the welcome window, Add Database by keyboard, the per-user config written, in sync.
# scripts/test.sh runs it after mvn verify. Needs target/sharemirror.jar, sqlite3, and for the first start
# Xvfb, trayer, xdotool and ImageMagick (scripts/install-deps.sh --tests installs them). SHAREMIRROR_SMOKE_DISPLAY
# names the X display it may use (default :79); screenshots go to target/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

fail() {
  echo "smoke-linux: FAILED: $*" >&2
  exit 1
}

# Same content as a release build; gzip -1 instead of dpkg-deb's default xz saves about 50 s here.
DPKG_DEB_COMPRESSOR_TYPE=gzip DPKG_DEB_COMPRESSOR_LEVEL=1 bash packaging/linux.sh >/dev/null
deb=$(ls target/packaging/sharemirror_*.deb)
launcher=target/packaging/ShareMirror/bin/ShareMirror

# --- the .deb: launcher, icon and menu entry where the entry says they are
contents=$(dpkg-deb -c "$deb")
grep -Eq '^-rwxr-xr-x .* \./opt/sharemirror/bin/ShareMirror$' <<<"$contents" || fail "no executable launcher in $deb"
grep -q ' \./opt/sharemirror/lib/ShareMirror\.png$' <<<"$contents" || fail "no icon in $deb"
desktop=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./opt/sharemirror/lib/sharemirror-ShareMirror.desktop) \
  || fail "no menu entry in $deb"
for line in "Exec=/opt/sharemirror/bin/ShareMirror" "Icon=/opt/sharemirror/lib/ShareMirror.png" "Type=Application"; do
  grep -qx "$line" <<<"$desktop" || fail "the menu entry lacks '$line':"$'\n'"$desktop"
done

# --- a hub in a temporary folder, mirrored although it is local (enable_cache: true)
work=$(mktemp -d)
agent=""
x_pids=()
cleanup() {
  [ -z "$agent" ] || kill -KILL "$agent" 2>/dev/null || true
  for pid in "${x_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
export XDG_STATE_HOME="$work/state" # logs (and the instance lock) stay in the temporary folder
mkdir "$work/share"
sqlite3 "$work/share/smoke.db" \
  "CREATE TABLE note(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO note(body) VALUES ('from the share');"
cat > "$work/config.yaml" <<'YAML'
database:
  enable_cache: true
  cache_directory: cache
  sync_interval: 2
databases:
  - name: smoke
    path: share/smoke.db
YAML

# stop_cleanly <its log>: SIGTERM to the agent, which runs its clean stop (the log line below) and exits with 0
stop_cleanly() {
  local status=0
  kill -TERM "$agent"
  wait "$agent" || status=$?
  agent=""
  [ "$status" -eq 0 ] || fail "the agent exited $status after SIGTERM:"$'\n'"$(cat "$1")"
  grep -q "stopping: letting running cycles finish" "$1" \
    || fail "the agent did not stop through its shutdown hook:"$'\n'"$(cat "$1")"
}

# expect <exit code> <extended regex the output must match> <command...>
expect() {
  local code=$1 text=$2 out status=0
  shift 2
  out=$("$@" 2>&1) || status=$?
  [ "$status" -eq "$code" ] || fail "'$*' exited $status, expected $code:"$'\n'"$out"
  grep -Eq -- "$text" <<<"$out" || fail "'$*' did not print '$text':"$'\n'"$out"
}

expect 0 "Usage:" "$launcher" --help
expect 2 "unknown verb 'nonsense'" "$launcher" nonsense
expect 0 "smoke" "$launcher" status --config "$work/config.yaml"
expect 0 "^smoke: (idle|synced) in " "$launcher" sync --config "$work/config.yaml"
[ "$(sqlite3 "$work/cache/smoke.db" "SELECT body FROM note")" = "from the share" ] \
  || fail "sync did not clone the hub into $work/cache/smoke.db"

# --- the agent, headless: a write to the replica must reach the hub while it runs
sqlite3 "$work/cache/smoke.db" "INSERT INTO note(body) VALUES ('from this desktop')"
env -u DISPLAY "$launcher" run --config "$work/config.yaml" > "$work/run.log" 2>&1 &
agent=$!
for _ in $(seq 1 60); do
  [ "$(sqlite3 "$work/share/smoke.db" "SELECT count(*) FROM note WHERE body = 'from this desktop'")" = 1 ] && break
  kill -0 "$agent" 2>/dev/null || fail "the agent exited early:"$'\n'"$(cat "$work/run.log")"
  sleep 0.5
done
[ "$(sqlite3 "$work/share/smoke.db" "SELECT count(*) FROM note WHERE body = 'from this desktop'")" = 1 ] \
  || fail "the agent did not push the replica's write to the hub within 30 s:"$'\n'"$(cat "$work/run.log")"
stop_cleanly "$work/run.log"

# --- the first start: the launcher as the menu entry runs it, no arguments, no config, a tray on the display
display=${SHAREMIRROR_SMOKE_DISPLAY:-:79}
export DISPLAY=$display
if ! xdpyinfo >/dev/null 2>&1; then
  Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  x_pids+=($!)
  for _ in $(seq 1 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
fi
xwininfo -root -tree | grep -q '"trayer"' || {
  trayer --edge top --align right --widthtype request --height 28 --SetDockType true >/dev/null 2>&1 &
  x_pids+=($!)
}
shots=target/screenshots
mkdir -p "$shots"
# This user's config folder and home (the default cache folder, ~/.ims_cache) in the temporary folder; Java takes
# its home from the password database, not from HOME.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" JAVA_TOOL_OPTIONS="-Duser.home=$work/home"
mkdir -p "$HOME"
sqlite3 "$work/share/first.db" \
  "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO item(name) VALUES ('from the share');"

# window <title regex>: waits for a window so named and prints its id
window() {
  local id
  for _ in $(seq 1 150); do
    id=$(xdotool search --onlyvisible --name "$1" 2>/dev/null | tail -1) && [ -n "$id" ] && { echo "$id"; return; }
    sleep 0.2
  done
  fail "no window named '$1' came up:"$'\n'"$(cat "$work/gui.log")"
}

launched=$(date +%s%N)
"$launcher" > "$work/gui.log" 2>&1 &
agent=$!
dashboard=$(window '^ShareMirror$')
sleep 1 # the first paint, for the picture
import -window root "$shots/packaged-first-start.png"
[ ! -e "$XDG_CONFIG_HOME/sharemirror/config.yaml" ] || fail "a config was written before Add Database"
# By keyboard, as far as it goes: a click gives the window the focus (there is no window manager), Enter presses
# the welcome screen's one button; in the dialog the file comes first, and Mirror (four Tabs on) is set to
# "always", as the temporary folder is on a local disk.
xdotool mousemove --window "$dashboard" 10 300 click 1
xdotool key Return
window '^Add Database$' >/dev/null
xdotool type --delay 20 "$work/share/first.db"
xdotool key Tab Tab Tab Tab
xdotool type --delay 50 al
for _ in $(seq 1 60); do # Enter once the live checks have passed (until then the button is disabled)
  sleep 0.5
  xdotool search --onlyvisible --name '^Adding first$' >/dev/null 2>&1 && break
  xdotool key Return
done
window '^Adding first$' >/dev/null
for _ in $(seq 1 120); do
  grep -q "first: OK, 0 pending" "$work/gui.log" && break
  kill -0 "$agent" 2>/dev/null || fail "the app exited early:"$'\n'"$(cat "$work/gui.log")"
  sleep 0.25
done
grep -q "first: OK, 0 pending" "$work/gui.log" || fail "first was not in sync within 30 s:"$'\n'"$(cat "$work/gui.log")"
first_start_ms=$(( ($(date +%s%N) - launched) / 1000000 ))
sleep 1
import -window root "$shots/packaged-first-copy.png"
grep -q "path: $work/share/first.db" "$XDG_CONFIG_HOME/sharemirror/config.yaml" \
  || fail "Add Database did not write the per-user config $XDG_CONFIG_HOME/sharemirror/config.yaml"
[ "$(sqlite3 "$HOME/.ims_cache/first.db" "SELECT name FROM item")" = "from the share" ] \
  || fail "no replica of first.db in $HOME/.ims_cache:"$'\n'"$(cat "$work/gui.log")"
stop_cleanly "$work/gui.log"

echo "smoke-linux: OK in $((SECONDS - started)) s: $(du -h "$deb" | cut -f1) $(basename "$deb"), app image" \
  "$(du -sh target/packaging/ShareMirror | cut -f1); first start, from launch to in sync by keyboard: $first_start_ms ms"
