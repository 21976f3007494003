#!/usr/bin/env bash
# Every long option surg-console --help lists appears in its man page and in both completions;
# and the refusals made before any media is read: a non-loopback address without a token, an
# unsafe token file, a control path that is not a FIFO, an address in use.
source "$(dirname "$0")/lib.sh"

check_options_documented surg-console
check "--help lists the console options" grep -q -- "--anonymize-control" <<<"$options"

expect_status 2 "--listen 0.0.0.0 without --token-file: exit 2" \
  surg-console --listen 0.0.0.0:1 </dev/null 2>"$WORK/err"
check "  and the message names --token-file" grep -q -- "--token-file" "$WORK/err"
printf 'a-token-of-twenty-characters\n' >"$WORK/token" && chmod 644 "$WORK/token"
expect_status 2 "a token file readable by others: exit 2" \
  surg-console --listen 127.0.0.1:1 --token-file "$WORK/token" </dev/null 2>"$WORK/err"
check "  and the message says chmod 600" grep -q "chmod 600" "$WORK/err"
check "  and never prints the token" lacks "a-token-of-twenty" "$WORK/err"
expect_status 2 "--listen with a name: exit 2" surg-console --listen localhost:8480 </dev/null 2>/dev/null
touch "$WORK/plain"
expect_status 2 "--anonymize-control naming a plain file: exit 2" \
  surg-console --anonymize-control "$WORK/plain" </dev/null 2>/dev/null
finish
