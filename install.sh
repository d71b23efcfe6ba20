#!/bin/sh
# Install or upgrade asym from its release files: picks the build for this machine
# (uname), checks it against SHA256SUMS, makes sure it runs, and puts it in place with one
# rename (a running asym is never half-overwritten). Re-running upgrades in place.
#
#   sh install.sh [--dir DIR] [--from URL_OR_FOLDER]
#
# --from   where the release files are (asym-<os>-<arch>, SHA256SUMS): an http(s) URL or a
#          local folder. Default: $ASYM_RELEASE_URL, else the folder this script is in
#          when it holds SHA256SUMS (an unpacked release).
# --dir    where to put `asym`. Default: the folder of the asym already on the PATH (an
#          upgrade), else /usr/local/bin when writable, else ~/.local/bin.
set -eu

say() { printf '%s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

usage() {
  say "usage: sh install.sh [--dir DIR] [--from URL_OR_FOLDER]"
  say "  --from  a folder or an http(s) URL holding asym-<os>-<arch> and SHA256SUMS"
  say "          (default: \$ASYM_RELEASE_URL, else this script's folder when it holds SHA256SUMS)"
  say "  --dir   where to put asym (default: where asym already is, else /usr/local/bin"
  say "          when writable, else ~/.local/bin)"
}

dir="" from=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) [ $# -ge 2 ] || die "--dir needs a folder"; dir=$2; shift 2 ;;
    --dir=*) dir=${1#--dir=}; shift ;;
    --from) [ $# -ge 2 ] || die "--from needs a URL or a folder"; from=$2; shift 2 ;;
    --from=*) from=${1#--from=}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option $1 (usage: sh install.sh [--dir DIR] [--from URL_OR_FOLDER])" ;;
  esac
done

# Which build: the names are those scripts/release.ts writes.
case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) die "there is no asym build for $(uname -s); builds exist for Linux and macOS (x64, arm64)" ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) die "there is no asym build for the $(uname -m) processor; builds exist for x64 and arm64" ;;
esac
# A shell under Rosetta reports x86_64 on Apple silicon: the native build is the right one.
if [ "$os" = darwin ] && [ "$arch" = x64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then arch=arm64; fi
if [ "$os" = linux ] && ldd --version 2>&1 | grep -qi musl; then
  die "the Linux builds need glibc; this system uses musl (e.g. Alpine). Use a glibc distribution, or run asym from a checkout with Bun"
fi
file="asym-$os-$arch"

if [ -z "$from" ]; then
  if [ -n "${ASYM_RELEASE_URL:-}" ]; then from=$ASYM_RELEASE_URL
  elif [ -f "$0" ] && [ -f "$(dirname "$0")/SHA256SUMS" ]; then from=$(cd "$(dirname "$0")" && pwd)
  else die "no release location: pass --from URL_OR_FOLDER (a folder or URL holding $file and SHA256SUMS), or set ASYM_RELEASE_URL"
  fi
fi
from=${from%/}

work=$(mktemp -d "${TMPDIR:-/tmp}/asym-install.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

fetch() { # NAME DEST
  case "$from" in
    http://* | https://*)
      if command -v curl >/dev/null 2>&1; then curl -fsSL --retry 2 -o "$2" "$from/$1" || die "cannot download $from/$1"
      elif command -v wget >/dev/null 2>&1; then wget -q -O "$2" "$from/$1" || die "cannot download $from/$1"
      else die "downloading needs curl or wget; install one, or download the files and pass --from FOLDER"
      fi ;;
    *)
      [ -d "$from" ] || die "--from $from is neither an http(s) URL nor a folder"
      [ -f "$from/$1" ] || die "$from has no $1"
      cp "$from/$1" "$2" ;;
  esac
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | cut -d' ' -f1
  elif command -v openssl >/dev/null 2>&1; then openssl dgst -sha256 -r "$1" | cut -d' ' -f1
  else die "checking the download needs sha256sum, shasum or openssl"
  fi
}

fetch SHA256SUMS "$work/SHA256SUMS"
want=$(awk -v f="$file" '$2 == f || $2 == "*" f { print $1; exit }' "$work/SHA256SUMS")
[ -n "$want" ] || die "SHA256SUMS from $from lists no $file"
fetch "$file" "$work/$file"
got=$(sha256 "$work/$file")
[ "$got" = "$want" ] || die "checksum mismatch for $file from $from: expected $want, got $got. Nothing was installed"
chmod 755 "$work/$file"

# Where: --dir, else where asym already is (so a re-run upgrades it), else a usual bin folder.
if [ -z "$dir" ]; then
  current=$(command -v asym 2>/dev/null || true)
  if [ -n "$current" ] && [ -f "$current" ] && [ ! -L "$current" ] && [ -w "$(dirname "$current")" ]; then dir=$(dirname "$current")
  elif [ -d /usr/local/bin ] && [ -w /usr/local/bin ]; then dir=/usr/local/bin
  else dir="$HOME/.local/bin"
  fi
fi
mkdir -p "$dir" || die "cannot create $dir"
[ -w "$dir" ] || die "cannot write to $dir (pass --dir to choose another folder, or run as a user who can)"
dir=$(cd "$dir" && pwd)
dest="$dir/asym"

# It must run here before it replaces anything.
new=$("$work/$file" --version 2>/dev/null) || die "$file does not run on this machine ($(uname -s) $(uname -m)); nothing was installed"
old=""
if [ -x "$dest" ]; then old=$("$dest" --version 2>/dev/null || echo "an unknown version"); fi
tmp="$dir/.asym.$$.new"
if ! { cp "$work/$file" "$tmp" && chmod 755 "$tmp" && mv -f "$tmp" "$dest"; }; then rm -f "$tmp"; die "cannot write $dest"; fi

if [ -z "$old" ]; then say "installed asym $new to $dest (from $from/$file, sha256 $got)"
elif [ "$old" = "$new" ]; then say "reinstalled asym $new at $dest (already this version; from $from/$file)"
else say "upgraded asym at $dest from $old to $new (from $from/$file, sha256 $got)"
fi
case ":$PATH:" in
  *":$dir:"*) ;;
  *) say "note: $dir is not on your PATH; add it, e.g. export PATH=\"$dir:\$PATH\"" ;;
esac
say "next: asym doctor checks Docker; asym settings shows where base images come from; asym spin slack"
