#!/usr/bin/env bash
# Fetches hls.js (npm hls.js@1.5.20, Apache-2.0) into DIR: dist/hls.min.js for the page
# `surg-push hls:DIR --player` writes. The package and the file are checked against pinned
# SHA-256 sums. Quiet when present.
set -euo pipefail
dir=${1:?usage: fetch-hlsjs.sh DIR}
pkg=hls.js@1.5.20
tgz_sha=3791f532701590ec10ecb4a2abf6ea63c65ae9ce91de4cc6f6553ba4629605ce
js_sha=d016c1230496ee59f3f5b01c16cce4cc01b5a1d3d357adec200c908b131ebe49

[ -f "$dir/hls.min.js" ] && echo "$js_sha  $dir/hls.min.js" | sha256sum -c --status && exit 0

mkdir -p "$dir"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$pkg" >/dev/null)
tgz=$(ls "$tmp"/*.tgz)
echo "$tgz_sha  $tgz" | sha256sum -c --status || { echo "surg: $pkg checksum mismatch" >&2; exit 1; }
tar -xzf "$tgz" -C "$tmp"
echo "$js_sha  $tmp/package/dist/hls.min.js" | sha256sum -c --status ||
  { echo "surg: hls.min.js checksum mismatch" >&2; exit 1; }
install -m 0644 "$tmp/package/dist/hls.min.js" "$dir/hls.min.js"
install -m 0644 "$tmp/package/LICENSE" "$dir/LICENSE"
