#!/usr/bin/env bash
# Out-of-body accuracy of surg-anonymize on oob-dev-index (issue 3), measured on its output
# pixels against the known slate card: see oob_eval.py. Research data only (skipped without).
# Floors: every out-of-body frame blanked, <= 5% of in-body frames. Every image of the index's
# manifest (labels.csv) must be fed, and every stream must start on the slate.
source "$(dirname "$0")/../integration/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)

check "surg-anonymize is built" command -v surg-anonymize
# oob-dev-index points into these folders.
if need_data "out-of-body evaluation" oob-dev-index cvc-clinicdb-dev endoscopy-osd-kvasir \
  endovis2017-robotic-clip mvor-lowres-or-dev face-mask-kaggle-dev dlib-faces opencv-samples \
  skimage-samples endoseg-trainingbox; then
  # Images per label in the manifest (a quoted source may hold commas: only the first 3 fields count).
  manifest() { awk -F, -v l="$1" 'NR > 1 && $2 == "image" && $3 == l' "$DATA/oob-dev-index/labels.csv" | wc -l; }
  want_oob=$(manifest out_of_body) want_in=$(manifest in_body)
  start=$SECONDS
  if python3 "$here/oob_eval.py" "$DATA" "$WORK" "$WORK/summary"; then
    pass "out-of-body evaluation ran ($((SECONDS - start)) s)"
    source "$WORK/summary"
    check "every out-of-body frame is blanked ($oob_blanked/$oob_total)" test "$oob_blanked" -eq "$oob_total"
    check "at most 5% of in-body frames are blanked ($in_blanked/$in_total)" \
      test $((in_blanked * 100)) -le $((in_total * 5))
    check "every image of the manifest was fed ($oob_images/$want_oob out-of-body, $in_images/$want_in in-body)" \
      test "$want_oob" -gt 0 -a "$want_in" -gt 0 -a "$oob_images" = "$want_oob" -a "$in_images" = "$want_in"
    check "every stream starts on the slate card ($first_slated of $streams)" \
      test "$streams" -gt 0 -a "$first_slated" = "$streams"
  else
    fail "out-of-body evaluation ran"
  fi
fi
finish
