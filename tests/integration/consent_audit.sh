#!/usr/bin/env bash
# surg-consent audit on tampered ledgers: a changed byte (150 positions spread over the file
# here; every position, with nine replacement values each, is covered in-process by
# test_consent "changing any single byte"), a removed, reordered, duplicated or unsigned entry,
# a torn last line: each fails audit (exit 4) naming the first bad line, verify refuses (3),
# and writers refuse to append.
source "$(dirname "$0")/lib.sh"

export SURG_CONSENT_NOW=2099-01-01T00:00:00Z
store=$WORK/store
sc() { surg-consent -q --store "$store" "$@"; }

sc keygen --install >/dev/null
sc grant CASE-0213 --grantor patient --purpose live-broadcast,recording --platform facebook \
  --anonymize faces,oob --audience adults --expires 2099-12-31
sc grant CASE-0213 --grantor surgeon --purpose live-broadcast,recording --platform facebook \
  --anonymize none --audience adults --expires 2099-12-31
sc revoke CASE-0213 --purpose recording
sc grant CASE-0300 --grantor patient --purpose teaching --platform none --anonymize faces \
  --audience professionals --expires 2099-12-31
ledger=$store/ledger.jsonl
cp "$ledger" "$WORK/good"
check "the sample ledger passes audit" grep -q '^ok: 5 entries, head [0-9a-f]\{64\}' <(sc audit)
expect_status 0 "and verify" sc verify CASE-0213 --for live-broadcast --platform facebook

# audit_fails DESC LINE: audit exits 4 naming line LINE, verify exits 3
audit_fails() {
  local desc=$1 line=$2 out status
  out=$(surg-consent --store "$store" audit 2>&1)
  status=$?
  if [ "$status" = 4 ] && grep -q "fails audit at line $line " <<<"$out"; then
    pass "$desc: audit exit 4 at line $line"
  else
    fail "$desc: audit exit $status, want 4 at line $line: $out"
  fi
}
restore() { cp "$WORK/good" "$ledger"; }
line_of() { head -c "$1" "$WORK/good" | wc -l | awk '{print $1 + 1}'; }  # line holding byte offset $1

size=$(stat -c %s "$WORK/good")
step=$((size / 150))
bad=0 tried=0
for ((pos = 0; pos < size; pos += step)); do
  restore
  orig=$(od -An -tu1 -j "$pos" -N1 "$ledger" | tr -d ' ')
  printf "$(printf '\\%03o' $(((orig ^ 1))))" | dd of="$ledger" bs=1 seek="$pos" conv=notrunc status=none
  tried=$((tried + 1))
  out=$(surg-consent --store "$store" audit 2>&1)
  if [ $? != 4 ] || ! grep -q "fails audit at line $(line_of "$pos") " <<<"$out"; then
    bad=$((bad + 1))
    echo "# byte $pos: $out"
  fi
done
check "each of $tried single-byte changes (every ${step}th byte) fails audit at its line" test "$bad" = 0

restore
sed -i '3d' "$ledger"
audit_fails "entry removed" 3
expect_status 3 "verify refuses a ledger with an entry removed" sc verify CASE-0213 --for live-broadcast

restore
awk 'NR == 3 {held = $0; next} {print} NR == 4 {print held}' "$WORK/good" >"$ledger"
audit_fails "entries reordered" 3

restore
tail -1 "$WORK/good" >>"$ledger"
audit_fails "last entry duplicated" 6

restore
tail -1 "$WORK/good" | sed 's/"sig":"[0-9a-f]*"/"sig":"'"$(printf '0%.0s' {1..128})"'"/' >>"$ledger"
audit_fails "entry appended with a zeroed signature" 6

# A properly chained entry signed by another key cannot be made from the shell; test_consent
# ("an appended entry without a valid signature") covers it. Here: a system whose pinned and
# signing keys are others refuses to write to this ledger at all (exit 4: untrusted).
restore
other=$WORK/other
(
  use_consent_trust other
  surg-consent -q --store "$other" keygen --install >/dev/null
  cp "$WORK/good" "$other/ledger.jsonl"
  surg-consent -q --store "$other" revoke CASE-0300 2>"$WORK/other.err"
  echo $? >"$WORK/other.status"
)
check "a ledger started by another key than the pinned one is not written to (exit 4)" \
  test "$(cat "$WORK/other.status")" = 4
check "and the refusal says so" grep -q "not the key pinned" "$WORK/other.err"
check "and leaves the ledger as it was" cmp -s "$other/ledger.jsonl" "$WORK/good"

restore
head -c -1 "$WORK/good" >"$ledger"
audit_fails "torn last line" 5
expect_status 4 "no write after a ledger that fails audit" sc revoke CASE-0213
check "the failed write added nothing" cmp -s "$ledger" <(head -c -1 "$WORK/good")

restore
expect_status 0 "the restored ledger passes audit again" sc audit
finish
