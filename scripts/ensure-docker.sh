#!/usr/bin/env bash
# Make sure a Docker engine with the Compose v2 plugin answers on this machine.
#
# - If `docker info` already answers, nothing is touched: an engine someone else runs is
#   never restarted or reconfigured.
# - Otherwise, on Debian as root: install docker.io (engine) from the system's archive,
#   fetch the Compose v2 plugin from Debian trixie through a *private* apt source list
#   (bookworm has only the Python v1 tool; trixie's plugin is one Go binary needing
#   glibc >= 2.34), and start dockerd, removing a pid file left by a killed engine.
set -euo pipefail

log() { printf '[ensure-docker] %s\n' "$*" >&2; }

have_compose() { docker compose version >/dev/null 2>&1; }

install_compose_plugin() {
  have_compose && return 0
  log "installing the Compose v2 plugin (Debian trixie docker-compose package)"
  local work; work=$(mktemp -d)
  mkdir -p "$work/lists/partial"
  echo "deb http://deb.debian.org/debian trixie main" >"$work/trixie.list"
  local opts=(-o "Dir::Etc::SourceList=$work/trixie.list" -o "Dir::Etc::SourceParts=/dev/null"
              -o "Dir::State::Lists=$work/lists" -o "APT::Get::List-Cleanup=0")
  apt-get "${opts[@]}" update -qq >/dev/null
  (cd "$work" && apt-get "${opts[@]}" download docker-compose >/dev/null)
  dpkg -x "$work"/docker-compose_*.deb "$work/x"
  mkdir -p /usr/libexec/docker/cli-plugins
  install -m 0755 "$work/x/usr/libexec/docker/cli-plugins/docker-compose" /usr/libexec/docker/cli-plugins/docker-compose
  rm -rf "$work"
  have_compose || { log "docker compose still missing after install"; exit 1; }
}

if docker info >/dev/null 2>&1; then
  log "an engine already answers; leaving it alone"
  install_compose_plugin
  exit 0
fi

if [ "$(id -u)" != 0 ] || [ ! -f /etc/debian_version ]; then
  log "no Docker engine answers, and this script can only install one on Debian as root."
  log "Start Docker (Docker Desktop, colima, or your distribution's dockerd) and retry."
  exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
  log "installing docker.io"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq docker.io >/dev/null
fi
install_compose_plugin

# A killed engine leaves its pid file; dockerd then refuses to start.
if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
  log "removing stale /var/run/docker.pid"
  rm -f /var/run/docker.pid
fi
if [ -S /var/run/docker.sock ] && ! pgrep -x dockerd >/dev/null; then rm -f /var/run/docker.sock; fi

log "starting dockerd"
nohup dockerd >/var/log/dockerd.log 2>&1 &
for _ in $(seq 1 120); do
  docker info >/dev/null 2>&1 && { log "engine up: $(docker version --format '{{.Server.Version}}')"; exit 0; }
  sleep 0.5
done
log "dockerd did not answer within 60 s; last lines of /var/log/dockerd.log:"
tail -n 20 /var/log/dockerd.log >&2
exit 1
