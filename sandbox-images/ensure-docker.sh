#!/usr/bin/env bash
# ensure-docker.sh - make sure a Docker engine is reachable for Forge.
#
# * If `docker info` already works: print one line and exit 0.
# * Otherwise, when running as root on Debian/Ubuntu and talking to the local
#   default socket: install docker.io with apt-get if dockerd (or the docker
#   CLI) is missing, start dockerd in the background (log:
#   $FORGE_HOME/.forge/logs/dockerd.log) and wait up to 60 s for it.
# * Otherwise: explain what the user has to do and exit 1.
#
# Environment:
#   FORGE_HOME                  defaults to the repository root (parent of sandbox-images/)
#   FORGE_DOCKERD_WAIT_SECONDS  how long to wait for a freshly started dockerd (default 60)
#
# Safe to run repeatedly (and concurrently: starting the daemon is serialised
# with a lock file under $FORGE_HOME/.forge/).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FORGE_HOME="${FORGE_HOME:-"$(cd "$SCRIPT_DIR/.." && pwd)"}"
STATE_DIR="$FORGE_HOME/.forge"
LOG_DIR="$STATE_DIR/logs"
DOCKERD_LOG="$LOG_DIR/dockerd.log"
LOCK_FILE="$STATE_DIR/docker.lock"
WAIT_SECONDS="${FORGE_DOCKERD_WAIT_SECONDS:-60}"
DEFAULT_SOCKET="/var/run/docker.sock"
DOCKERD_PIDFILE="/var/run/docker.pid"

# dockerd and friends live in sbin directories that are not always on PATH.
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
export PATH

log() { printf 'docker: %s\n' "$*" >&2; }
die() { printf 'docker: ERROR: %s\n' "$*" >&2; exit 1; }

# Prints the server version and succeeds if the engine answers.
engine_version() {
    command -v docker >/dev/null 2>&1 || return 1
    timeout 20 docker info --format '{{.ServerVersion}}' 2>/dev/null
}

report_ok() {
    printf 'docker: engine reachable (version %s)\n' "$1"
    exit 0
}

manual_instructions() {
    cat >&2 <<EOF
docker: ERROR: no Docker engine is reachable, and this script can only start one
        itself when it runs as root on Debian or Ubuntu ($1).
        To fix it:
          1. Install Docker Engine (on Debian/Ubuntu: apt-get install docker.io).
          2. Start it (e.g. 'systemctl enable --now docker', or run 'dockerd' as root).
          3. Let your user talk to it: 'usermod -aG docker "\$USER"', then log in again.
        Check with 'docker info', then re-run this command.
EOF
    exit 1
}

is_debian_like() {
    [[ -r /etc/os-release ]] || return 1
    local id id_like
    id="$(. /etc/os-release && printf '%s' "${ID:-}")"
    id_like="$(. /etc/os-release && printf '%s' "${ID_LIKE:-}")"
    case " $id $id_like " in
        *" debian "* | *" ubuntu "*) return 0 ;;
        *) return 1 ;;
    esac
}

dockerd_running() {
    local pid
    [[ -r "$DOCKERD_PIDFILE" ]] || return 1
    pid="$(cat "$DOCKERD_PIDFILE" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null
}

show_log_tail() {
    if [[ -s "$DOCKERD_LOG" ]]; then
        printf 'docker: last lines of %s:\n' "$DOCKERD_LOG" >&2
        tail -n 25 "$DOCKERD_LOG" | sed 's/^/    /' >&2
    fi
}

# 1. Fast path: nothing to do.
if version="$(engine_version)" && [[ -n "$version" ]]; then
    report_ok "$version"
fi

# 2. We may only manage the local default daemon.
if [[ -n "${DOCKER_HOST:-}" && "${DOCKER_HOST}" != "unix://$DEFAULT_SOCKET" ]]; then
    die "DOCKER_HOST is set to '$DOCKER_HOST' but that engine does not answer 'docker info'.
        Start that engine (or unset DOCKER_HOST to use the local one) and try again."
fi

if [[ "$(id -u)" -ne 0 ]]; then
    if [[ -S "$DEFAULT_SOCKET" ]] && ! [[ -w "$DEFAULT_SOCKET" ]]; then
        die "the Docker socket $DEFAULT_SOCKET exists but user '$(id -un)' may not use it.
        Add the user to the 'docker' group ('sudo usermod -aG docker $(id -un)'),
        log in again, and re-run this command."
    fi
    manual_instructions "not running as root"
fi
is_debian_like || manual_instructions "this system is not Debian/Ubuntu"

mkdir -p "$LOG_DIR"
# Keep Forge's runtime state out of git without touching the top-level .gitignore.
[[ -e "$STATE_DIR/.gitignore" ]] || printf '*\n' >"$STATE_DIR/.gitignore"

# 3. Serialise the rest so two callers never start two daemons.
if command -v flock >/dev/null 2>&1; then
    exec 9>"$LOCK_FILE"
    flock -w "$((WAIT_SECONDS + 30))" 9 || die "timed out waiting for the lock $LOCK_FILE (another Forge command is starting Docker?)"
    if version="$(engine_version)" && [[ -n "$version" ]]; then
        report_ok "$version"
    fi
fi

# 4. Install the engine if needed.
if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
    apt_log="$LOG_DIR/apt-docker.log"
    log "dockerd/docker not found; installing the 'docker.io' package with apt-get (this can take a minute; log: $apt_log)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >"$apt_log" 2>&1 || { tail -n 20 "$apt_log" >&2
        die "'apt-get update' failed (above); check the network and /etc/apt/sources.list*, then retry"; }
    apt-get install -y -qq docker.io >>"$apt_log" 2>&1 || { tail -n 20 "$apt_log" >&2
        die "'apt-get install docker.io' failed (above); install Docker Engine manually and retry"; }
    command -v dockerd >/dev/null 2>&1 || die "docker.io was installed but 'dockerd' is still not on PATH"
fi

# 5. Start the daemon unless one is already running (then just wait for it).
if dockerd_running; then
    log "dockerd is already running (pid $(cat "$DOCKERD_PIDFILE")) but not answering yet; waiting"
    dockerd_pid="$(cat "$DOCKERD_PIDFILE")"
else
    log "no engine answers on $DEFAULT_SOCKET; starting dockerd (log: $DOCKERD_LOG)"
    printf '\n==== %s forge ensure-docker.sh: starting dockerd ====\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$DOCKERD_LOG"
    # setsid + nohup: the daemon must outlive this script and its process group.
    # 9>&- : do not let the daemon inherit (and hold forever) the lock descriptor.
    setsid nohup dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null 9>&- &
    dockerd_pid=$!
fi

# 6. Wait for it to answer.
for ((i = 0; i < WAIT_SECONDS; i++)); do
    if version="$(engine_version)" && [[ -n "$version" ]]; then
        log "dockerd is up (pid $dockerd_pid)"
        report_ok "$version"
    fi
    if ! kill -0 "$dockerd_pid" 2>/dev/null; then
        show_log_tail
        die "dockerd (pid $dockerd_pid) exited during start-up; see the log above (full log: $DOCKERD_LOG)"
    fi
    sleep 1
done

show_log_tail
die "dockerd did not answer within ${WAIT_SECONDS}s; see the log above (full log: $DOCKERD_LOG)"
