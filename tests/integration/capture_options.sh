#!/usr/bin/env bash
# Every long option surg-capture --help lists appears in its man page and in both
# completions, and the completions offer no option the tool does not have.
source "$(dirname "$0")/lib.sh"

check_options_documented surg-capture
check "--help lists the capture options" grep -q -- '--oob-every' <<<"$options"
finish
