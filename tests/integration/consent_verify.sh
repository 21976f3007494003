#!/usr/bin/env bash
# surg-consent verify: exit 0 when covered, 3 with a one-line reason for each refusal; the
# clock is injected with SURG_CONSENT_NOW. Also grant/amend/revoke/show/list/export statuses.
source "$(dirname "$0")/lib.sh"

# Entries are written at the real time; SURG_CONSENT_NOW only moves the "now" consents are
# judged against, so the expiries here are far in the future.
export SURG_CONSENT_STORE=$WORK/store SURG_CONSENT_NOW=2099-01-01T00:00:00Z
err=$WORK/err

grant() {  # grant CASE ROLE PURPOSES PLATFORMS ANONYMIZE [EXPIRES]
  surg-consent -q grant "$1" --grantor "$2" --purpose "$3" --platform "$4" --anonymize "$5" \
    --audience adults --expires "${6:-2099-12-31}"
}
# refuses STATUS "REASON" args...: exit STATUS, and one error line on stderr, containing REASON
# (CLI11's usage errors add "Run with --help", not counted).
refuses() {
  local want=$1 reason=$2; shift 2
  surg-consent "$@" 2>"$err" >/dev/null
  local got=$?
  local lines; lines=$(grep -F '[error]' "$err" | grep -vc 'Run with --help')
  if [ "$got" = "$want" ] && grep -qF -- "$reason" "$err" && [ "$lines" = 1 ]; then
    pass "$* -> $want ($reason)"
  else
    fail "$* -> exit $got, want $want with '$reason' on one line; stderr: $(cat "$err")"
  fi
}

expect_status 0 "keygen" surg-consent -q keygen --install >/dev/null
refuses 3 "CASE-0213: missing: no consent recorded" verify CASE-0213 --for live-broadcast
expect_status 0 "patient grant" grant CASE-0213 patient live-broadcast,recording facebook,youtube faces,oob
refuses 3 "CASE-0213: no surgeon consent" verify CASE-0213 --for live-broadcast
expect_status 0 "surgeon grant" grant CASE-0213 surgeon live-broadcast,recording,teaching facebook,youtube text 2100-06-30
expect_status 0 "verify live-broadcast on facebook" surg-consent verify CASE-0213 --for live-broadcast --platform facebook
check "entries carry the real time, not SURG_CONSENT_NOW" bash -c "! grep -q '\"time\":\"2099' '$SURG_CONSENT_STORE/ledger.jsonl'"
check "the ok line names the anonymisation" grep -q "anonymize faces,oob,text" <(surg-consent verify CASE-0213 --for recording 2>&1)
refuses 3 "CASE-0213: not covering: patient consent does not cover teaching" verify CASE-0213 --for teaching
refuses 3 "not covering: patient consent does not cover platform intranet" verify CASE-0213 --for live-broadcast --platform intranet
SURG_CONSENT_NOW=2100-01-01T00:00:00Z refuses 3 "CASE-0213: expired: patient consent expired at 2100-01-01T00:00:00Z" \
  verify CASE-0213 --for live-broadcast
SURG_CONSENT_NOW=2099-12-31T23:59:59Z expect_status 0 "in force until the end of the expiry day" \
  surg-consent -q verify CASE-0213 --for live-broadcast
check "SURG_CONSENT_NOW is warned about" grep -q "tests only" <(surg-consent verify CASE-0213 --for recording 2>&1)

# Only the surgeon's consent ran out.
grant CASE-0300 patient recording none none 2100-06-30 && grant CASE-0300 surgeon recording none none 2099-06-01
SURG_CONSENT_NOW=2099-06-02T00:00:00Z refuses 3 "CASE-0300: expired: surgeon consent expired" verify CASE-0300 --for recording

expect_status 0 "revoke one purpose" surg-consent -q revoke CASE-0213 --purpose live-broadcast
refuses 3 "CASE-0213: revoked: live-broadcast was withdrawn" verify CASE-0213 --for live-broadcast
expect_status 0 "other purposes still covered" surg-consent -q verify CASE-0213 --for recording
expect_status 0 "revoke the whole case" surg-consent -q revoke CASE-0213
refuses 3 "CASE-0213: revoked: patient consent was withdrawn" verify CASE-0213 --for recording
refuses 3 "CASE-0999: missing: no consent recorded for this case; nothing revoked" revoke CASE-0999

# A representative, amend, grant over a consent in force.
grant CASE-0400 representative teaching intranet faces && grant CASE-0400 surgeon teaching intranet none
expect_status 0 "representative consent counts for the patient" surg-consent -q verify CASE-0400 --for teaching
refuses 2 "a surgeon consent is in force; use 'amend'" grant CASE-0400 --grantor surgeon --purpose teaching \
  --platform none --anonymize none --audience adults --expires 2099-12-31
expect_status 0 "amend the surgeon's platforms" surg-consent -q amend CASE-0400 --grantor surgeon --platform intranet,youtube
refuses 2 "nothing to amend" amend CASE-0400 --grantor surgeon --platform intranet,youtube
refuses 3 "missing: no patient consent to amend" amend CASE-0400 --grantor patient --expires 2099-12-31
refuses 2 "case id rejected: it looks like a person's name" grant John Smith --grantor patient --purpose recording \
  --platform none --anonymize none --audience adults --expires 2099-12-31
check "an unquoted name is refused whole, never echoed" bash -c "! grep -qE 'John|Smith' '$err'"
refuses 2 "--expires: 2026-01-02T00:00:00Z is not in the future" amend CASE-0400 --grantor surgeon --expires 2026-01-01

# Usage errors: exit 2, and a name given as case id is never echoed.
refuses 2 "case id rejected: it looks like a person's name" verify "Smith^John" --for recording
check "the rejected name is not echoed" bash -c "! grep -q Smith '$err'"
refuses 2 "case id rejected: it looks like a medical record" grant 943-476-5919 --grantor patient \
  --purpose recording --platform none --anonymize none --audience adults --expires 2099-12-31
refuses 2 "--purpose: unknown value 'marketing'" grant CASE-0500 --grantor patient --purpose marketing \
  --platform none --anonymize none --audience adults --expires 2099-12-31
refuses 2 "'none' cannot be combined" grant CASE-0500 --grantor patient --purpose recording \
  --platform none,facebook --anonymize none --audience adults --expires 2099-12-31
expect_status 2 "verify without --for" surg-consent -q verify CASE-0213
expect_status 2 "no subcommand" surg-consent -q
expect_status 2 "keygen twice" surg-consent -q keygen

# --form: only the digest is recorded.
printf 'signed form of a patient\n' >"$WORK/Dupont_Marie_form.pdf"
grant_form() {
  surg-consent -q grant CASE-0600 --grantor patient --purpose recording --platform none \
    --anonymize faces --audience professionals --expires 2099-12-31 --form "$WORK/Dupont_Marie_form.pdf"
}
expect_status 0 "grant with --form" grant_form
digest=$(sha256sum "$WORK/Dupont_Marie_form.pdf" | cut -d' ' -f1)
check "the form's SHA-256 is in the ledger" grep -q "\"form_sha256\":\"$digest\"" "$SURG_CONSENT_STORE/ledger.jsonl"
check "neither its name nor its content is" bash -c "! grep -qiE 'dupont|signed form' '$SURG_CONSENT_STORE/ledger.jsonl'"
refuses 2 "--form: cannot read the form file" grant CASE-0700 --grantor patient --purpose recording \
  --platform none --anonymize none --audience adults --expires 2099-12-31 --form "$WORK/Martin_Paul.pdf"
check "a missing form's name is not echoed" bash -c "! grep -q Martin '$err'"

# Reports.
surg-consent show CASE-0213 >"$WORK/show" 2>/dev/null
check "show prints both consents and the history" grep -qE '^(patient|surgeon): revoked' "$WORK/show"
check "show prints the record tag" grep -qE '^record CASE-0213:[0-9a-f]{64}$' "$WORK/show"
refuses 3 "CASE-0999: missing" show CASE-0999
surg-consent list >"$WORK/list" 2>/dev/null
check "list has a line a case" test "$(cut -f1 "$WORK/list" | tr '\n' ' ')" = "CASE-0213 CASE-0300 CASE-0400 CASE-0600 "
check "list shows what is consented" grep -qP '^CASE-0400\tconsented: teaching\t' "$WORK/list"
expect_status 0 "export fhir-r4 to a file" surg-consent export CASE-0400 --format fhir-r4 -o "$WORK/fhir.json"
check "export is a Consent resource" test "$(jq -r '.resourceType + " " + .status + " " + .patient.identifier.value' "$WORK/fhir.json")" = "Consent active CASE-0400"
check "export of a revoked case is inactive" test "$(surg-consent export CASE-0213 2>/dev/null | jq -r .status)" = inactive
refuses 2 "--format" export CASE-0400 --format hl7v2
finish
