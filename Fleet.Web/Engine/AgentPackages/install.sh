#!/bin/sh
# Installs the Fleet agent on this machine. Served by the Fleet server at /agent/install.sh, with that server's address
# and its default agent version filled in below.
#
#   sh install.sh --server URL --token TOKEN [--version V] [--package FILE --sha256 H] [--prefix /opt/fleet-agent]
#                 [--state-dir DIR] [--hostname NAME] [--machine-id ID] [--no-systemd]
#
# Layout: <prefix>/versions/<version>/fleet-agent, <prefix>/current -> versions/<version>, the launcher
# <prefix>/bin/fleet-agent-launcher (which runs the current version, restarts it, and swaps versions with an automatic
# rollback when an update does not come up healthy), and the agent's settings in <prefix>/agent.conf (mode 600).
# Re-running it replaces the installation in place; the agent's identity (in the state directory) is kept.
set -eu

FLEET_DEFAULT_SERVER='@@FLEET_DEFAULT_SERVER@@'
FLEET_DEFAULT_VERSION='@@FLEET_DEFAULT_VERSION@@'

server=$FLEET_DEFAULT_SERVER
token=''
version=''
package=''
sha256=''
prefix='/opt/fleet-agent'
state_dir='/var/lib/fleet-agent'
agent_hostname=''
machine_id=''
use_systemd=yes

say() { printf 'fleet-agent install: %s\n' "$*"; }
die() { printf 'fleet-agent install: error: %s\n' "$*" >&2; exit 1; }

usage() {
  cat <<'EOF'
Usage: sh install.sh --server URL --token TOKEN [options]
  --server URL        the Fleet server the agent connects to (default: the server this script came from)
  --token TOKEN       the enrolment token (required unless this machine is already enrolled)
  --version V         the agent version to download (default: the server's default version)
  --package FILE      install this package file instead of downloading one (needs --sha256)
  --sha256 HASH       the package's SHA-256; the install stops if the file does not match
  --prefix DIR        where the agent is installed (default /opt/fleet-agent)
  --state-dir DIR     where the agent keeps its identity and journal (default /var/lib/fleet-agent)
  --hostname NAME     report this hostname instead of the machine's
  --machine-id ID     report this machine id instead of /etc/machine-id
  --no-systemd        run the launcher as a detached supervisor even where systemd runs
EOF
}

while [ $# -gt 0 ]; do
  case $1 in
    --no-systemd) use_systemd=no; shift; continue ;;
    -h|--help) usage; exit 0 ;;
    --server|--token|--enrollment-token|--version|--package|--sha256|--prefix|--state-dir|--hostname|--machine-id)
      [ $# -ge 2 ] || die "$1 needs a value"
      case $1 in
        --server) server=$2 ;;
        --token|--enrollment-token) token=$2 ;;
        --version) version=$2 ;;
        --package) package=$2 ;;
        --sha256) sha256=$2 ;;
        --prefix) prefix=$2 ;;
        --state-dir) state_dir=$2 ;;
        --hostname) agent_hostname=$2 ;;
        --machine-id) machine_id=$2 ;;
      esac
      shift 2 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

# --- checks, before anything is written -----------------------------------------------------------------------------
valid_version() {
  case $1 in
    ''|*[!0-9A-Za-z._-]*|*..*|.|-*) return 1 ;;
  esac
  [ ${#1} -le 64 ]
}

case $server in
  http://?*|https://?*) server=${server%/} ;;
  *) die "--server must be an http:// or https:// URL (got '$server')" ;;
esac
case $prefix in
  /*) prefix=${prefix%/} ;;
  *) die "--prefix must be an absolute path (got '$prefix')" ;;
esac
case $state_dir in
  /*) ;;
  *) die "--state-dir must be an absolute path (got '$state_dir')" ;;
esac
if [ -n "$package" ]; then
  [ -f "$package" ] || die "package file '$package' does not exist"
  [ -n "$sha256" ] || die "--package needs --sha256 with the package's SHA-256"
elif [ -n "$sha256" ]; then
  die "--sha256 goes with --package"
fi
if [ -n "$sha256" ]; then
  sha256=$(printf '%s' "$sha256" | tr 'A-F' 'a-f')
  case $sha256 in
    *[!0-9a-f]*) die "--sha256 must be 64 hexadecimal digits" ;;
  esac
  [ ${#sha256} -eq 64 ] || die "--sha256 must be 64 hexadecimal digits"
fi
if [ -n "$version" ]; then
  valid_version "$version" || die "--version must be 1 to 64 letters, digits, '.', '_' or '-' (got '$version')"
fi
if [ -z "$token" ] && ! [ -s "$state_dir/identity.json" ]; then
  die "--token is required: this machine has no agent identity in $state_dir yet"
fi
for value in "$token" "$agent_hostname" "$machine_id"; do
  case $value in
    *"
"*) die "values cannot contain line breaks" ;;
  esac
done

file_sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | cut -d' ' -f1
  elif command -v openssl >/dev/null 2>&1; then openssl dgst -sha256 "$1" | sed 's/.*= *//'
  else die "no sha256sum, shasum or openssl here to check the package's SHA-256"
  fi
}

# Downloads $1 to the file $2 with curl or wget, whichever exists.
fetch() {
  if command -v curl >/dev/null 2>&1; then curl -fsSL --retry 2 -o "$2" "$1" || die "could not download $1"
  elif command -v wget >/dev/null 2>&1; then wget -q -O "$2" "$1" || die "could not download $1"
  else die "neither curl nor wget is installed; copy the package here and use --package FILE --sha256 HASH"
  fi
}

work=$(mktemp -d "${TMPDIR:-/tmp}/fleet-agent-install.XXXXXX") || die "could not create a temporary folder"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM HUP

# --- the package ------------------------------------------------------------------------------------------------------
if [ -z "$package" ]; then
  [ -n "$version" ] || version=$FLEET_DEFAULT_VERSION
  valid_version "$version" || die "no version to download: pass --version"
  say "downloading agent $version from $server"
  fetch "$server/agent/packages/$version/fleet-agent.sha256" "$work/fleet-agent.sha256"
  sha256=$(cut -d' ' -f1 < "$work/fleet-agent.sha256" | tr 'A-F' 'a-f')
  fetch "$server/agent/packages/$version/fleet-agent" "$work/fleet-agent"
  package=$work/fleet-agent
fi
actual=$(file_sha256 "$package")
[ "$actual" = "$sha256" ] || die "the package's SHA-256 is $actual, expected $sha256: not installed"
say "package SHA-256 $actual checked"
cp "$package" "$work/fleet-agent.checked" || die "could not copy the package"
chmod 755 "$work/fleet-agent.checked"
if [ -z "$version" ]; then
  # A package given as a file names its own version.
  version=$("$work/fleet-agent.checked" version 2>/dev/null | head -n 1) || version=''
  valid_version "$version" || die "could not read the package's version (it answered '$version'); pass --version"
fi

# --- stop what runs now (re-running replaces in place) ------------------------------------------------------------------
systemd_here=no
if [ "$use_systemd" = yes ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then systemd_here=yes; fi
unit=/etc/systemd/system/fleet-agent.service
if [ "$systemd_here" = yes ] && [ -f "$unit" ]; then
  systemctl stop fleet-agent.service 2>/dev/null || true
fi
if [ -f "$prefix/launcher.pid" ]; then
  old=$(cat "$prefix/launcher.pid" 2>/dev/null || true)
  case $old in
    ''|*[!0-9]*) ;;
    *)
      if kill "$old" 2>/dev/null; then
        say "stopping the running launcher (pid $old)"
        i=0
        while kill -0 "$old" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1 2>/dev/null || sleep 1; i=$((i + 1)); done
        kill -9 "$old" 2>/dev/null || true
      fi ;;
  esac
  rm -f "$prefix/launcher.pid"
fi

# --- files ------------------------------------------------------------------------------------------------------------
mkdir -p "$prefix/versions/$version" "$prefix/bin" "$prefix/update" || die "could not create $prefix"
mkdir -p "$state_dir" && chmod 700 "$state_dir" || die "could not create $state_dir"
cp "$work/fleet-agent.checked" "$prefix/versions/$version/fleet-agent.new" || die "could not write to $prefix/versions/$version"
mv -f "$prefix/versions/$version/fleet-agent.new" "$prefix/versions/$version/fleet-agent"
ln -s "versions/$version" "$prefix/.current.new"
mv -Tf "$prefix/.current.new" "$prefix/current" 2>/dev/null || { rm -f "$prefix/current"; mv -f "$prefix/.current.new" "$prefix/current"; }
rm -f "$prefix/update/request" "$prefix/update/health"
say "installed agent $version in $prefix/versions/$version; $prefix/current points at it"

quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
old_umask=$(umask)
umask 077
{
  echo "# Fleet agent settings, written by install.sh; read by $prefix/bin/fleet-agent-launcher."
  echo "FLEET_AGENT_SERVER=$(quote "$server")"
  echo "FLEET_AGENT_ENROLLMENTTOKEN=$(quote "$token")"
  echo "FLEET_AGENT_STATEDIR=$(quote "$state_dir")"
  [ -z "$agent_hostname" ] || echo "FLEET_AGENT_HOSTNAME=$(quote "$agent_hostname")"
  [ -z "$machine_id" ] || echo "FLEET_AGENT_MACHINEID=$(quote "$machine_id")"
} > "$prefix/agent.conf.new"
chmod 600 "$prefix/agent.conf.new"
mv -f "$prefix/agent.conf.new" "$prefix/agent.conf"
umask "$old_umask"
say "wrote $prefix/agent.conf (mode 600)"

# The launcher: everything below up to LAUNCHER is written as is, except @PREFIX@.
cat > "$prefix/bin/fleet-agent-launcher.new" <<'LAUNCHER'
#!/bin/sh
# Fleet agent launcher, written by install.sh. Runs <prefix>/current/fleet-agent with <prefix>/agent.conf and restarts it
# when it exits (with backoff). When the agent hands over an update or rollback (it writes <prefix>/update/request and
# exits with code 100), the launcher switches `current` to the requested version and waits for that version to write
# <prefix>/update/health naming itself (it does once the server accepted it). If the new version exits, or is not
# healthy within the deadline, the launcher stops it, switches back, writes <prefix>/update/report with the reason for
# the previous version to report, and starts the previous version again.
PREFIX=@PREFIX@
REQUEST=$PREFIX/update/request
REPORT=$PREFIX/update/report
HEALTH=$PREFIX/update/health
HANDOVER_EXIT=100
KEEP_VERSIONS=3

set -a
. "$PREFIX/agent.conf"
set +a
# Tells the agent it runs under this launcher, so it may hand updates over to it.
FLEET_LAUNCHER=$PREFIX
export FLEET_LAUNCHER

agent_pid=''
log() { printf '%s fleet-agent-launcher: %s\n' "$(date -u '+%Y-%m-%dT%H:%M:%SZ')" "$*"; }

stop_agent() {
  [ -n "$agent_pid" ] || return 0
  kill "$agent_pid" 2>/dev/null || true
  i=0
  while running "$agent_pid" && [ $i -lt 20 ]; do pause 1; i=$((i + 1)); done
  kill -9 "$agent_pid" 2>/dev/null || true
  wait "$agent_pid" 2>/dev/null || true
  agent_pid=''
  rm -f "$PREFIX/agent.pid"
}

on_signal() {
  stop_agent
  rm -f "$PREFIX/launcher.pid"
  exit 0
}
trap on_signal TERM INT HUP

# A sleep that a signal interrupts at once.
pause() { sleep "$1" & wait $! 2>/dev/null || true; }

# True while the process runs (an exited child not yet waited for is a zombie: not running).
running() {
  [ -r "/proc/$1/stat" ] || return 1
  state=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
  [ -n "$state" ] && [ "$state" != Z ]
}

valid_version() {
  case $1 in
    ''|*[!0-9A-Za-z._-]*|*..*|.|-*) return 1 ;;
  esac
  return 0
}

current_version() { v=$(readlink "$PREFIX/current" 2>/dev/null) && echo "${v##*/}"; }

point_current() {
  ln -sfn "versions/$1" "$PREFIX/.current.new"
  mv -Tf "$PREFIX/.current.new" "$PREFIX/current" 2>/dev/null || { rm -f "$PREFIX/current"; mv -f "$PREFIX/.current.new" "$PREFIX/current"; }
}

start_agent() {
  "$PREFIX/versions/$1/fleet-agent" run &
  agent_pid=$!
  echo "$agent_pid" > "$PREFIX/agent.pid"
  log "started agent $1 (pid $agent_pid)"
}

# Writes a file atomically: the agent never reads half of it.
write_file() {
  cat > "$1.new" && mv -f "$1.new" "$1"
}

# Keeps the current and previous versions and the newest others, KEEP_VERSIONS in all.
prune() {
  keep_current=$1
  keep_previous=$2
  count=2
  for v in $(ls -t "$PREFIX/versions"); do
    [ "$v" = "$keep_current" ] && continue
    [ "$v" = "$keep_previous" ] && continue
    count=$((count + 1))
    if [ $count -gt $KEEP_VERSIONS ] && valid_version "$v"; then
      rm -rf "${PREFIX:?}/versions/$v" && log "pruned version $v"
    fi
  done
}

# Handles <prefix>/update/request: switch, health check, and rollback on failure. Leaves agent_pid running (or empty).
switch_version() {
  to='' from='' command='' deadline='' kind=''
  while IFS='=' read -r key value; do
    case $key in
      to) to=$value ;; from) from=$value ;; command) command=$value ;; deadline) deadline=$value ;; kind) kind=$value ;;
    esac
  done < "$REQUEST"
  case $deadline in ''|*[!0-9]*) deadline=120 ;; esac
  if ! valid_version "$to" || ! valid_version "$from" || ! [ -x "$PREFIX/versions/$from/fleet-agent" ]; then
    log "ignoring an unreadable request (to '$to', from '$from')"
    rm -f "$REQUEST"
    return
  fi
  if ! [ -x "$PREFIX/versions/$to/fleet-agent" ]; then
    reason="version $to is not installed"
  else
    rm -f "$HEALTH"
    point_current "$to"
    log "$kind: switched to $to (from $from), waiting up to $deadline s for it to connect"
    start_agent "$to"
    started=$(date +%s)
    reason=''
    while :; do
      if [ -f "$HEALTH" ] && [ "$(cat "$HEALTH" 2>/dev/null)" = "$to" ]; then break; fi
      if ! running "$agent_pid"; then
        code=0
        wait "$agent_pid" || code=$?
        agent_pid=''
        reason="version $to exited with code $code at start"
        break
      fi
      if [ $(($(date +%s) - started)) -ge "$deadline" ]; then
        reason="version $to did not connect within $deadline s"
        break
      fi
      pause 1
    done
  fi
  if [ -z "$reason" ]; then
    log "$kind: version $to is healthy"
    echo "$from" | write_file "$PREFIX/previous"
    rm -f "$REQUEST"
    prune "$to" "$from"
    return
  fi
  log "$kind: $reason; rolling back to $from"
  stop_agent
  point_current "$from"
  printf 'command=%s\nkind=%s\nto=%s\nfrom=%s\nreason=%s\n' "$command" "$kind" "$to" "$from" "$reason" | write_file "$REPORT"
  rm -f "$REQUEST"
}

echo $$ > "$PREFIX/launcher.pid"
delay=1
while :; do
  if [ -z "$agent_pid" ]; then
    if [ -f "$REQUEST" ]; then
      switch_version
      continue
    fi
    version=$(current_version) || { log "$PREFIX/current is missing"; pause 5; continue; }
    start_agent "$version"
  fi
  began=$(date +%s)
  code=0
  wait "$agent_pid" || code=$?
  # A signal interrupts wait; the trap has run by then and exited.
  agent_pid=''
  rm -f "$PREFIX/agent.pid"
  if [ "$code" -eq "$HANDOVER_EXIT" ] && [ -f "$REQUEST" ]; then
    delay=1
    continue
  fi
  [ $(($(date +%s) - began)) -lt 60 ] || delay=1
  log "agent exited with code $code; starting it again in $delay s"
  pause "$delay"
  delay=$((delay * 2))
  [ $delay -le 60 ] || delay=60
done
LAUNCHER
prefix_quoted=$(quote "$prefix" | sed 's/[\\&|]/\\&/g')
sed "s|@PREFIX@|$prefix_quoted|" "$prefix/bin/fleet-agent-launcher.new" > "$prefix/bin/fleet-agent-launcher.tmp"
rm -f "$prefix/bin/fleet-agent-launcher.new"
chmod 755 "$prefix/bin/fleet-agent-launcher.tmp"
mv -f "$prefix/bin/fleet-agent-launcher.tmp" "$prefix/bin/fleet-agent-launcher"
say "wrote the launcher $prefix/bin/fleet-agent-launcher"

# --- start ------------------------------------------------------------------------------------------------------------
if [ "$systemd_here" = yes ]; then
  cat > "$unit.new" <<EOF
[Unit]
Description=Fleet agent (launcher with automatic rollback)
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=$prefix/bin/fleet-agent-launcher
Restart=always
RestartSec=5
KillMode=control-group

[Install]
WantedBy=multi-user.target
EOF
  mv -f "$unit.new" "$unit"
  systemctl daemon-reload || die "systemctl daemon-reload failed"
  systemctl enable fleet-agent.service >/dev/null 2>&1 || die "could not enable fleet-agent.service"
  systemctl restart fleet-agent.service || die "could not start fleet-agent.service (see: journalctl -u fleet-agent)"
  say "started fleet-agent.service (systemd); logs: journalctl -u fleet-agent"
else
  log_file=$prefix/launcher.log
  if command -v setsid >/dev/null 2>&1; then
    setsid "$prefix/bin/fleet-agent-launcher" >> "$log_file" 2>&1 < /dev/null &
  else
    nohup "$prefix/bin/fleet-agent-launcher" >> "$log_file" 2>&1 < /dev/null &
  fi
  i=0
  while ! [ -s "$prefix/launcher.pid" ] && [ $i -lt 100 ]; do sleep 0.1 2>/dev/null || sleep 1; i=$((i + 1)); done
  [ -s "$prefix/launcher.pid" ] || die "the launcher did not start; see $log_file"
  say "started the launcher as a detached supervisor (pid $(cat "$prefix/launcher.pid")); log: $log_file"
fi
say "done: agent $version installed for server $server"
