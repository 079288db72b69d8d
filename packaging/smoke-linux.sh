#!/usr/bin/env bash
# Builds the Linux app image and .deb (packaging/linux.sh), checks what the .deb installs, then starts the
# app image's launcher the way a user or script would, against a hub in a temporary folder: --help, status,
# sync, and the agent headless until SIGTERM. scripts/test.sh runs it after mvn verify.
# Needs target/sharemirror.jar and sqlite3 (scripts/install-deps.sh installs it).
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
cleanup() {
  [ -z "$agent" ] || kill -KILL "$agent" 2>/dev/null || true
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
kill -TERM "$agent"
status=0
wait "$agent" || status=$?
agent=""
# The JVM reports 128+15 when a SIGTERM started its shutdown, even though the agent's shutdown hook stopped
# it cleanly (the log line below); 0 is accepted too, for when the agent exits by itself after the signal.
[ "$status" -eq 0 ] || [ "$status" -eq 143 ] || fail "the agent exited $status after SIGTERM:"$'\n'"$(cat "$work/run.log")"
grep -q "stopping: letting running cycles finish" "$work/run.log" \
  || fail "the agent did not stop through its shutdown hook:"$'\n'"$(cat "$work/run.log")"

echo "smoke-linux: OK in $((SECONDS - started)) s: $(du -h "$deb" | cut -f1) $(basename "$deb"), app image" \
  "$(du -sh target/packaging/ShareMirror | cut -f1)"
