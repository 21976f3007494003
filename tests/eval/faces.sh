#!/usr/bin/env bash
# Face recall of surg-anonymize on real photos (issue 3), measured on its output pixels with
# --method fill: see face_eval.py. On the research sets when present (face-mask-kaggle-dev,
# dlib-faces, mmpose-face-samples), else on the CC0 subset in tests/data/face-mask.
# Floors: recall >= 0.95 for faces >= 32 px, >= 0.85 overall. Ceiling: over-redaction (share of
# non-face pixels filled) <= 0.45, today's 0.421 with a little margin: a build that fills the
# whole frame fails. Every face of the data's manifest (face_truth.py) must be scored. With the
# research data, in-body endoscope stills too: the share of the frame face boxes cover there.
#   EVAL_DETECTOR=haar bash tests/eval/faces.sh   measures another registered detector.
source "$(dirname "$0")/../integration/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)

ge() { awk -v v="$1" -v floor="$2" 'BEGIN { exit !(v >= floor) }'; }
le() { awk -v v="$1" -v ceiling="$2" 'BEGIN { exit !(v <= ceiling) }'; }

check "surg-anonymize is built" command -v surg-anonymize
check "face models are installed in $SURG_MODEL_DIR" \
  test -f "$SURG_MODEL_DIR/face_detection_back_256x256_barracuda.onnx"

data=$DATA
need_data "face evaluation on the research sets (the CC0 subset in tests/data instead)" \
  face-mask-kaggle-dev dlib-faces mmpose-face-samples || data=none
labelled=$(python3 "$here/face_truth.py" "$data" | awk -F'\t' '$3 != "-"' | wc -l)
echo "# data: ${data/#none/tests/data/face-mask}, $labelled labelled faces in its manifest"

extra=()
[ -n "${EVAL_DETECTOR:-}" ] && extra=(--detector "$EVAL_DETECTOR")
start=$SECONDS
if python3 "$here/face_eval.py" "$data" "$WORK" "$WORK/summary" "${extra[@]}"; then
  pass "face evaluation ran ($((SECONDS - start)) s)"
  source "$WORK/summary"
  check "recall of faces >= 32 px is >= 0.95 (got $recall_32)" ge "$recall_32" 0.95
  check "recall of all faces is >= 0.85 (got $recall_all)" ge "$recall_all" 0.85
  check "over-redaction: at most 0.45 of non-face pixels filled (got $over)" le "$over" 0.45
  check "every labelled face of the manifest was scored ($faces of $labelled)" \
    test "$labelled" -gt 0 -a "$faces" = "$labelled"
  if [ "$in_body_expected" -gt 0 ]; then
    check "every in-body still was scored ($in_body_images of $in_body_expected)" \
      test "$in_body_images" = "$in_body_expected"
    # Goal 0.01 (issue 12): 0.025 with the score floor alone, 0 since YuNet's second look
    # (anonymize/analyzers.hpp) removed the false faces of two colonoscopy frames.
    check "in-body stills: at most 0.01 of the frame covered by face boxes on average (got $in_body_area)" \
      le "$in_body_area" 0.01
  elif [ "$data" != none ]; then
    skip "in-body stills" "research data oob-dev-index and oob-dev-2 absent from SURG_DATA"
  fi
else
  fail "face evaluation ran"
fi
finish
