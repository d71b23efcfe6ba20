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
else
  rm -f .env
fi
log "ready"
