#!/usr/bin/env bash
# What the consent ledger is trusted with (doc/consent.md), tried as an adversary would: a
# revocation cut off the ledger, a ledger restored beside its witness or without one, a store
# started by another key, stores and witnesses others can write or own, a verifier trying to
# sign, and a clock set back before the newest entry.
source "$(dirname "$0")/lib.sh"

export SURG_CONSENT_STORE=$WORK/s
ledger=$SURG_CONSENT_STORE/ledger.jsonl
witness=$WORK/trust-default/witness/consent.witness
err=$WORK/err
grant() {  # grant CASE ROLE
  surg-consent -q grant "$1" --grantor "$2" --purpose recording --platform none --anonymize none \
    --audience professionals --expires 2030-12-31
}
# refused STATUS "TEXT" surg-consent-args...: exits STATUS and says TEXT.
refused() {
  local want=$1 text=$2; shift 2
  surg-consent "$@" >/dev/null 2>"$err"
  local got=$?
  if [ "$got" = "$want" ] && grep -qF -- "$text" "$err"; then pass "$* -> $want ($text)"
  else fail "$* -> exit $got, want $want with '$text': $(tail -2 "$err")"; fi
}

surg-consent -q keygen --install >/dev/null
grant CASE-0213 patient
grant CASE-0213 surgeon
expect_status 0 "granted: verify ok" surg-consent -q verify CASE-0213 --for recording
check "the witness names the ledger's last entry" \
  test "$(jq -r .seq "$witness")" = 2 -a "$(jq -r .head "$witness")" = "$(tail -1 "$ledger" | tr -d '\n' | sha256sum | cut -c1-64)"
cp "$ledger" "$WORK/granted"
cp "$witness" "$WORK/granted.witness"

# Issue 11 item 1: delete the revocation (the last line).
surg-consent -q revoke CASE-0213
cp "$ledger" "$WORK/revoked"
cp "$witness" "$WORK/revoked.witness"
sed -i '$d' "$ledger"
refused 4 "behind its witness" audit
refused 3 "behind its witness" verify CASE-0213 --for recording
refused 4 "behind its witness" revoke CASE-0213  # and nobody appends after it

# Beside: the old ledger and witness restored, a different entry written at seq 3, then the
# witness of the revocation put back.
cp "$WORK/granted" "$ledger"
cp "$WORK/granted.witness" "$witness"
grant CASE-0300 patient
cp "$WORK/revoked.witness" "$witness"
refused 4 "beside its witness" audit
refused 3 "beside its witness" verify CASE-0213 --for recording

# Without: the witness removed.
cp "$WORK/revoked" "$ledger"
cp "$WORK/revoked.witness" "$witness"
expect_status 0 "restored ledger and witness pass audit" surg-consent -q audit
rm "$witness"
refused 4 "has no witness" audit
refused 3 "has no witness" verify CASE-0213 --for recording
cp "$WORK/revoked.witness" "$witness"
mv "$ledger" "$WORK/aside"
refused 3 "behind its witness" verify CASE-0213 --for recording
refused 2 "but the ledger is gone" keygen  # a fresh ledger cannot replace the witnessed one
mv "$WORK/aside" "$ledger"

# Item 2: a store someone made elsewhere with a key of their own is refused by the pin.
(
  use_consent_trust intruder
  export SURG_CONSENT_STORE=$WORK/tmp-store
  surg-consent -q keygen >/dev/null
  grant CASE-0213 patient
  grant CASE-0213 surgeon
) 2>/dev/null
refused 3 "not the key pinned" --store "$WORK/tmp-store" verify CASE-0213 --for recording
refused 4 "not the key pinned" --store "$WORK/tmp-store" audit
# Its own trust refuses it too, because nothing is pinned there.
SURG_TEST_SYSCONFIG=$WORK/trust-intruder/surg.toml refused 3 "no key is pinned" \
  --store "$WORK/tmp-store" verify CASE-0213 --for recording

# Ownership and modes: refused, not warned about.
expect_status 0 "the real store audits ok" surg-consent -q audit
chmod g+w "$SURG_CONSENT_STORE"
refused 3 "writable by group or others" verify CASE-0213 --for recording
chmod g-w "$SURG_CONSENT_STORE"
chmod o+w "$ledger"
refused 4 "writable by group or others" audit
chmod o-w "$ledger"
chmod g+w "$witness"
refused 3 "witness $witness is writable" verify CASE-0213 --for recording
chmod g-w "$witness"
chown 65534 "$ledger"
refused 3 "not by its configured owner" verify CASE-0213 --for recording
chown 0 "$ledger"
expect_status 0 "modes and owners back: audit ok" surg-consent -q audit

# Item 3: a verifier (another uid, in the readers' group only) verifies but cannot sign.
grant CASE-0400 patient
grant CASE-0400 surgeon
chmod 755 "$WORK"
chgrp 65534 "$SURG_CONSENT_STORE" "$ledger" "$(dirname "$witness")" "$witness"
as_verifier() { setpriv --reuid=65534 --regid=65534 --clear-groups env PATH="$(bin_for_others):$PATH" "$@"; }
expect_status 0 "a verifier (uid 65534) can verify" as_verifier surg-consent -q verify CASE-0400 --for recording
expect_status 0 "a verifier can audit" as_verifier surg-consent -q audit
cp "$ledger" "$WORK/before-verifier"
as_verifier surg-consent grant CASE-0500 --grantor patient --purpose recording --platform none \
  --anonymize none --audience professionals --expires 2030-12-31 2>"$err"
status=$?
check "a verifier cannot grant (exit $status, $(tail -1 "$err"))" \
  bash -c "[ $status != 0 ] && grep -q 'only consent officers sign' '$err'"
as_verifier surg-consent -q revoke CASE-0400 2>/dev/null
check "a verifier cannot revoke either" test $? != 0
check "the ledger is unchanged by the verifier" cmp -s "$ledger" "$WORK/before-verifier"
check "the signing key is readable by its owner only" test "$(stat -c %a "$WORK/trust-default/signing/consent.key")" = 600

# Item 4: a clock that reads earlier than the newest entry is refused (test builds move it
# with SURG_CONSENT_NOW; release builds ignore the variable).
SURG_CONSENT_NOW=2020-01-01T00:00:00Z refused 3 "clock behind the ledger" verify CASE-0400 --for recording
finish
