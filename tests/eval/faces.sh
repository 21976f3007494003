#!/usr/bin/env bash
# Face recall of surg-anonymize on real photos (issue 3), measured on its output pixels with
# --method fill: see face_eval.py. Floors: recall >= 0.95 for faces >= 32 px, >= 0.85 overall.
#   EVAL_DETECTOR=haar bash tests/eval/faces.sh   measures another registered detector.
source "$(dirname "$0")/../integration/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)

ge() { awk -v v="$1" -v floor="$2" 'BEGIN { exit !(v >= floor) }'; }

check "surg-anonymize is built" command -v surg-anonymize
check "face models are installed in $SURG_MODEL_DIR" \
  test -f "$SURG_MODEL_DIR/face_detection_back_256x256_barracuda.onnx"

extra=()
[ -n "${EVAL_DETECTOR:-}" ] && extra=(--detector "$EVAL_DETECTOR")
start=$SECONDS
if python3 "$here/face_eval.py" "$DATA" "$WORK" "$WORK/summary" "${extra[@]}"; then
  pass "face evaluation ran ($((SECONDS - start)) s)"
  source "$WORK/summary"
  check "recall of faces >= 32 px is >= 0.95 (got $recall_32)" ge "$recall_32" 0.95
  check "recall of all faces is >= 0.85 (got $recall_all)" ge "$recall_all" 0.85
  check "all $faces labelled faces were scored" test "$faces" -ge 880
  echo "# over-redaction (non-face pixels filled): $over"
else
  fail "face evaluation ran"
fi
finish
