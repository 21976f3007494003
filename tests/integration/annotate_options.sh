#!/usr/bin/env bash
# Every long option surg-annotate --help lists appears in its man page and in both
# completions, and the completions offer no option the tool does not have.
source "$(dirname "$0")/lib.sh"

check_options_documented surg-annotate
check "--help lists the annotate options" grep -q -- "--logo-opacity" <<<"$options"
check "bash completion offers the corners" grep -q bottom-center "$SRC/completions/bash/surg-annotate"
finish
