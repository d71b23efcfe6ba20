#!/usr/bin/env bash
# Build the base images asym needs (Postgres, Redis, a Bun runtime) from Debian packages,
# for machines that reach no container registry. Each image is tagged with a key derived
# from this script's inputs and skipped when that key already exists, so a machine
# builds them once. Point asym at them with:
#   ASYM_POSTGRES_IMAGE=asym-local/postgres:15 ASYM_REDIS_IMAGE=asym-local/redis:7 \
#   ASYM_BUN_IMAGE=asym-local/bun:1
# (scripts/local-images.env holds those lines).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
log() { printf '[base-images] %s\n' "$*" >&2; }

bun_bin=${BUN_BINARY:-$(command -v bun || true)}
bun_bin=$(readlink -f "$bun_bin" 2>/dev/null || true)
[ -x "$bun_bin" ] || { log "no bun binary found (install bun first)"; exit 1; }

key=$( { cat "$0" "$here/base-images/postgres-entrypoint.sh"; "$bun_bin" --version; } | sha256sum | cut -c1-12)
want=(asym-local/postgres:15 asym-local/redis:7 asym-local/bun:1)
all_there=1
for img in "${want[@]}"; do
  [ "$(docker image inspect -f '{{index .Config.Labels "asym.base-key"}}' "$img" 2>/dev/null)" = "$key" ] || all_there=0
done
if [ $all_there = 1 ]; then log "base images present (key $key)"; exit 0; fi

root="asym-local/debian:bookworm"
if ! docker image inspect "$root" >/dev/null 2>&1; then
  command -v debootstrap >/dev/null || { apt-get update -qq >/dev/null; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
  dir=$(mktemp -d /var/tmp/asym-rootfs.XXXX)
  log "debootstrap bookworm with postgresql-15 and redis-server (about a minute)"
  debootstrap --variant=minbase --include=postgresql-15,redis-server,ca-certificates \
    bookworm "$dir" http://deb.debian.org/debian >/dev/null
  rm -rf "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/locale/* "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
  log "importing the rootfs as $root"
  tar -C "$dir" -c . | docker import - "$root" >/dev/null
  rm -rf "$dir"
fi

ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
cp "$here/base-images/postgres-entrypoint.sh" "$ctx/"
cp "$bun_bin" "$ctx/bun"

cat >"$ctx/Dockerfile.postgres" <<DF
FROM $root
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN chmod 755 /usr/local/bin/docker-entrypoint.sh && ln -sf /usr/lib/postgresql/15/bin/* /usr/local/bin/ 2>/dev/null; true
ENV PGDATA=/var/lib/postgresql/data LANG=C.UTF-8
LABEL asym.base-key=$key asym.clone=__base__
STOPSIGNAL SIGINT
EXPOSE 5432
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["postgres"]
DF
cat >"$ctx/Dockerfile.redis" <<DF
FROM $root
LABEL asym.base-key=$key asym.clone=__base__
EXPOSE 6379
CMD ["redis-server", "--protected-mode", "no", "--bind", "0.0.0.0"]
DF
cat >"$ctx/Dockerfile.bun" <<DF
FROM $root
COPY bun /usr/local/bin/bun
RUN chmod 755 /usr/local/bin/bun && ln -s /usr/local/bin/bun /usr/local/bin/bunx && mkdir -p /home/bun/app
WORKDIR /home/bun/app
LABEL asym.base-key=$key asym.clone=__base__
CMD ["bun"]
DF
for spec in postgres:asym-local/postgres:15 redis:asym-local/redis:7 bun:asym-local/bun:1; do
  name=${spec%%:*}; tag=${spec#*:}
  log "building $tag"
  DOCKER_BUILDKIT=0 docker build -q -f "$ctx/Dockerfile.$name" -t "$tag" "$ctx" >/dev/null
done
log "done (key $key)"
