#!/usr/bin/env bash
# Out-of-body accuracy of surg-anonymize on oob-dev-index (issue 3), measured on its output
# pixels: see oob_eval.py. Floors: every out-of-body frame blanked, <= 5% of in-body frames.
source "$(dirname "$0")/../integration/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)

check "surg-anonymize is built" command -v surg-anonymize
start=$SECONDS
if python3 "$here/oob_eval.py" "$DATA" "$WORK" "$WORK/summary"; then
  pass "out-of-body evaluation ran ($((SECONDS - start)) s)"
  source "$WORK/summary"
  check "every out-of-body frame is blanked ($oob_blanked/$oob_total)" test "$oob_blanked" -eq "$oob_total"
  check "at most 5% of in-body frames are blanked ($in_blanked/$in_total)" \
    test $((in_blanked * 100)) -le $((in_total * 5))
  check "the whole index was fed ($oob_total out-of-body, $in_total in-body frames)" \
    test "$oob_total" -ge 456 -a "$in_total" -ge 66
else
  fail "out-of-body evaluation ran"
fi
finish
