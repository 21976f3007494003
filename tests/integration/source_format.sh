#!/usr/bin/env bash
# The tree is laid out as .clang-format says (scripts/check-format.sh; --fix formats it).
source "$(dirname "$0")/lib.sh"
out=$("$SRC/scripts/check-format.sh" 2>&1)
status=$?
[ "$status" = 0 ] && echo "# $out" || sed 's/^/# /' <<<"$out" | tail -12
check "every C++ file is formatted (clang-format, .clang-format)" test "$status" = 0
finish
