#!/usr/bin/env bash
# Prepare a machine to run asym from this checkout, idempotently:
#   Bun, the locked dependencies, a Docker engine with Compose v2, and base images.
# When the official base images (postgres, redis, oven/bun) can be neither found nor
# pulled (no registry reachable), stand-ins are built from Debian packages and .env is
# written so `bun run asym …` and `bun test` use them (Bun loads .env by itself).
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '[setup] %s\n' "$*" >&2; }

if ! command -v bun >/dev/null 2>&1; then
  log "installing bun from the npm registry"
  npm install -g bun@1.4.5 >/dev/null 2>&1
fi
log "bun $(bun --version)"
bun install --frozen-lockfile >/dev/null
bash scripts/ensure-docker.sh

# The tests drive the agent tools a user points at clones: the GitHub CLI (Debian's gh,
# 2.23 on bookworm) and openssl (the local CA of --tls clones). Installed from the system's
# archive when missing, on Debian as root only; elsewhere those tests say what is missing.
# grep reads all of its input: with -q it exits at the match, apt-cache dies of SIGPIPE, and
# pipefail turns that into "no candidate" (gh went uninstalled on a fresh machine).
candidate() { apt-cache policy "$1" 2>/dev/null | grep 'Candidate: [0-9]' >/dev/null; }
for tool in gh openssl; do
  command -v "$tool" >/dev/null 2>&1 && continue
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    candidate "$tool" || apt-get update -qq >/dev/null 2>&1 || true
    if candidate "$tool"; then
      log "installing $tool (Debian package $(apt-cache policy "$tool" | awk '/Candidate/ {print $2}'))"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null
      continue
    fi
  fi
  log "$tool is not installed; the tests that drive it will fail under CI"
done

# The Swarm engine's test builds its own swarm of private dockerds in network namespaces:
# it needs ip (iproute2), nsenter and unshare (util-linux) and iptables (docker.io's dependency).
for pair in ip:iproute2 nsenter:util-linux unshare:util-linux iptables:iptables; do
  tool=${pair%%:*} pkg=${pair#*:}
  command -v "$tool" >/dev/null 2>&1 && continue
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    candidate "$pkg" || apt-get update -qq >/dev/null 2>&1 || true
    if candidate "$pkg"; then
      log "installing $pkg (for $tool)"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null
      continue
    fi
  fi
  log "$tool is not installed; the Swarm engine's test will fail under CI"
done

official=(postgres:15 redis:7 oven/bun:1)
missing=0
for img in "${official[@]}"; do
  docker image inspect "$img" >/dev/null 2>&1 && continue
  if ! docker pull -q "$img" >/dev/null 2>&1; then missing=1; break; fi
done
if [ $missing = 1 ]; then
  log "official base images unavailable (no registry?): using local stand-ins"
  bash scripts/base-images.sh 2> >(grep -v -i -e deprecat -e buildkit -e 'environment-variable' -e '^ *$' >&2)
  cp scripts/local-images.env .env
  log "wrote .env with the stand-in image references"
  # Also in the user's settings (~/.asymmetric/settings.json), so a compiled or installed
  # asym finds them from any folder; .env only reaches `bun run` and `bun test` here.
  env -u ASYM_POSTGRES_IMAGE -u ASYM_REDIS_IMAGE -u ASYM_BUN_IMAGE bun --no-env-file src/cli/main.ts settings set \
    postgresImage=asym-local/postgres:15 redisImage=asym-local/redis:7 bunImage=asym-local/bun:1 >/dev/null
  log "recorded them in the asym settings (asym settings shows them)"
else
  rm -f .env
fi

# The release test runs the linux-arm64 build under qemu user-mode emulation, with the
# arm64 glibc from libc6-arm64-cross (both Debian packages, about 10 s to install).
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 &&
  { [ ! -x /usr/bin/qemu-aarch64-static ] || [ ! -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ]; }; then
  log "installing qemu-user-static and libc6-arm64-cross (arm64 release test)"
  apt_install() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-user-static libc6-arm64-cross >/dev/null 2>&1; }
  apt_install || { apt-get update -qq >/dev/null 2>&1 && apt_install; } || log "could not install them: the arm64 release test will fail"
fi
log "ready"
