#!/usr/bin/env bash
# The consent store on disk: permissions (even under umask 000), concurrent writers serialised
# by flock (20 grants at once all land intact; two identical grants at once: exactly one
# wins), key rotation, --store / SURG_CONSENT_STORE / config precedence. The signing key lives
# where the system config says, never in the store (doc/consent.md).
source "$(dirname "$0")/lib.sh"

export SURG_CONSENT_NOW=2099-01-01T00:00:00Z
store=$WORK/deep/er/store
grant() {  # grant CASE ROLE
  surg-consent -q --store "$store" grant "$1" --grantor "$2" --purpose live-broadcast,recording \
    --platform facebook --anonymize faces --audience adults --expires 2099-12-31
}

key=$WORK/trust-default/signing/consent.key
(umask 000 && surg-consent -q --store "$store" keygen --install >/dev/null)
check "keygen under umask 000: store is 0750" test "$(stat -c %a "$store")" = 750
check "the signing key is 0600, outside the store" test "$(stat -c %a "$key")" = 600 -a ! -e "$store/signing.key"
check "ledger.jsonl is 0640" test "$(stat -c %a "$store/ledger.jsonl")" = 640
check "the witness is 0640" test "$(stat -c %a "$WORK/trust-default/witness/consent.witness")" = 640
check "nothing in the store is accessible by others or writable by the group" \
  test -z "$(find "$store" -perm /o=rwx -o -perm /g=w)"
check "keygen --install pinned the genesis key" \
  grep -Eq "^key = [\"']$(head -1 "$store/ledger.jsonl" | jq -r .key)[\"']\$" "$SURG_TEST_SYSCONFIG"

# 20 grants at once, each its own case, with readers polling meanwhile.
pids=()
for i in $(seq 10 29); do
  (umask 000 && grant "CASE-00$i" patient) &
  pids+=($!)
  surg-consent -q --store "$store" verify CASE-0010 --for recording >/dev/null 2>&1 &
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=$((failed + 1)); done
wait
check "20 concurrent grants all succeed" test "$failed" = 0
check "the ledger has 21 entries" test "$(wc -l <"$store/ledger.jsonl")" = 21
check "every case landed exactly once" test "$(grep -o '"case":"CASE-00[0-9]*"' "$store/ledger.jsonl" | sort -u | wc -l)" = 20
check "audit passes after concurrent writes" grep -q '^ok: 21 entries' <(surg-consent --store "$store" audit 2>/dev/null)
check "the ledger is still 0640" test "$(stat -c %a "$store/ledger.jsonl")" = 640

# The same grant twice at once: the second sees the first under the lock and is refused.
grant CASE-0100 surgeon & p1=$!
grant CASE-0100 surgeon & p2=$!
wait $p1; s1=$?
wait $p2; s2=$?
check "two identical grants at once: one succeeds, one is refused with 2" \
  test "$(printf '%s\n' "$s1" "$s2" | sort | tr '\n' ' ')" = "0 2 "
check "exactly one surgeon grant for CASE-0100" \
  test "$(grep -c '"case":"CASE-0100".*"grantor":"surgeon"' "$store/ledger.jsonl")" = 1

# Key rotation.
old=$(head -1 "$store/ledger.jsonl" | jq -r .key)
new=$(surg-consent -q --store "$store" keygen --rotate)
check "keygen --rotate prints a new public key" test -n "$new" -a "$new" != "$old"
check "the rotation is a key entry in the ledger" test "$(tail -1 "$store/ledger.jsonl" | jq -r '.type + " " + .key')" = "key $new"
expect_status 0 "writes continue with the new key" surg-consent -q --store "$store" revoke CASE-0100
check "audit passes across the rotation" grep -q '^ok: 24 entries' <(surg-consent --store "$store" audit 2>/dev/null)
check "the signing key is still 0600" test "$(stat -c %a "$key")" = 600
chmod 644 "$key"
expect_status 2 "a signing key readable by others is refused" grant CASE-0200 patient
chmod 600 "$key"

# Where the store is: --store over SURG_CONSENT_STORE over the config file over the default.
mkdir -p "$XDG_CONFIG_HOME/surg"
printf '[consent]\nstore = "%s"\n' "$WORK/from-config" >"$XDG_CONFIG_HOME/surg/surg.toml"
use_consent_trust config  # one witness a ledger: each new store gets a trust of its own
surg-consent -q keygen >/dev/null
check "the config file's store is used" test -s "$WORK/from-config/ledger.jsonl"
use_consent_trust flag
SURG_CONSENT_STORE=$WORK/from-env surg-consent -q --store "$WORK/from-flag" keygen >/dev/null
check "--store wins over the environment and the config" test -s "$WORK/from-flag/ledger.jsonl" -a ! -e "$WORK/from-env"
rm "$XDG_CONFIG_HOME/surg/surg.toml"
if [ "$(id -u)" != 0 ]; then
  use_consent_trust xdg
  surg-consent -q keygen >/dev/null
  check "default store under XDG_DATA_HOME" test -s "$XDG_DATA_HOME/surg/consent/ledger.jsonl"
else
  skip "default store under XDG_DATA_HOME" "as root the default store is /var/lib/surg/consent, not touched by tests"
fi
use_consent_trust env
SURG_CONSENT_STORE=$WORK/env-store surg-consent -q keygen >/dev/null
check "SURG_CONSENT_STORE is used without --store" test -s "$WORK/env-store/ledger.jsonl"
expect_status 3 "verify on a store that does not exist: missing (3), nothing created" \
  surg-consent -q --store "$WORK/none" verify CASE-0010 --for recording
check "verify created no store" test ! -e "$WORK/none"
finish
