#!/usr/bin/env bash
# Retrains the out-of-body model (models/oob/weights.json, see models/oob/README.md) on the
# train part of the development data and prints per-source figures, train and held-out, frame
# by frame, each wrong still by name. Deterministic: fixed split (tests/eval/oob_data.py),
# fixed seed, full-batch training in plain C++ (oob_train.cpp), no threads.
#   bash tests/eval/train_oob.sh             (the test suite) retrains into a temporary file and
#                                            checks it is the shipped weights.json, byte for byte
#   bash tests/eval/train_oob.sh --write     retrains and rewrites models/oob/weights.json
#   bash tests/eval/train_oob.sh --evaluate  figures of the shipped weights only
# Data: $SURG_DATA as in tests/integration/lib.sh. Rebuild after --write: the weights are
# compiled into surg-anonymize.
source "$(dirname "$0")/../integration/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
shipped=$SRC/models/oob/weights.json
mode=${1:-}

# The training data is research data (models/oob/README.md): skipped and counted without it.
need_data "out-of-body training" oob-dev-index oob-dev-2 cvc-clinicdb-dev endoscopy-osd-kvasir \
  endovis2017-robotic-clip mvor-lowres-or-dev face-mask-kaggle-dev || finish
python3 "$here/oob_data.py" "$DATA" >"$WORK/manifest.tsv"
# Built from the sources, not the build tree: the library compiles the weights in.
check "the training program builds" \
  c++ -O2 -std=c++20 -Wall -Wno-deprecated-enum-enum-conversion -I "$SRC/lib" \
  "$here/oob_train.cpp" "$SRC/lib/surg/detect/oob_model.cpp" "$SRC/lib/surg/detect/body.cpp" \
  $(pkg-config --cflags opencv4) -lopencv_videoio -lopencv_imgcodecs -lopencv_imgproc -lopencv_core \
  -o "$WORK/oob_train"
case $mode in
  --evaluate) check "the shipped weights were evaluated" "$WORK/oob_train" "$WORK/manifest.tsv" "$shipped" --evaluate ;;
  --write) check "retrained into $shipped" "$WORK/oob_train" "$WORK/manifest.tsv" "$shipped" ;;
  *)
    check "retraining ran" "$WORK/oob_train" "$WORK/manifest.tsv" "$WORK/weights.json"
    check "retraining reproduces models/oob/weights.json byte for byte" cmp "$WORK/weights.json" "$shipped"
    ;;
esac
finish
