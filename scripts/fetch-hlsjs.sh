#!/usr/bin/env bash
# Fetches hls.js (npm hls.js@1.5.20, Apache-2.0) into DIR: dist/hls.min.js for the page
# `surg-push hls:DIR --player` writes, the package and the file checked against pinned SHA-256 sums.
exec "$(dirname "$0")/fetch-npm-files.sh" hls.js@1.5.20 \
  3791f532701590ec10ecb4a2abf6ea63c65ae9ce91de4cc6f6553ba4629605ce "${1:?usage: fetch-hlsjs.sh DIR}" \
  dist/hls.min.js=d016c1230496ee59f3f5b01c16cce4cc01b5a1d3d357adec200c908b131ebe49
