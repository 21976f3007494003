#!/usr/bin/env bash
# Every long option surg-push --help lists appears in its man page and in both completions,
# and the completions offer no option the tool does not have.
source "$(dirname "$0")/lib.sh"

check_options_documented surg-push
man_page=$SRC/man/surg-push.1
bash_comp=$SRC/completions/bash/surg-push
zsh_comp=$SRC/completions/zsh/_surg-push
check "--help lists the push options" grep -q -- '--key-file' <<<"$options"
check "--help lists at least 20 long options" test "$(wc -l <<<"$options")" -ge 20

# Presets: the completions ask the tool; the man page documents each one.
presets=$(printf '%s\n' "$help" | sed -n 's/.*platform preset: //p' | tr -d ',')
check "--help lists the presets" test -n "$presets"
for p in $presets; do check "man page documents preset $p" grep -q "$p" "$man_page"; done
check "bash completion offers the presets" bash -c "
  source '$bash_comp'
  [ \"\$(_surg_push_presets | wc -w)\" = $(wc -w <<<"$presets") ]"

if command -v zsh >/dev/null; then
  check "zsh completion parses" zsh -n "$zsh_comp"
else
  skip "zsh completion parses" "zsh missing: apt-get install zsh, or scripts/install-deps.sh --test"
fi
check "man page has the required sections" bash -c "
  for s in NAME SYNOPSIS DESCRIPTION OPTIONS CONFIGURATION 'EXIT STATUS' EXAMPLES 'SEE ALSO'; do
    grep -q \"^\\.SH \$s\" '$man_page' || exit 1; done"
check "man page documents every exit status" bash -c "
  for s in 0 1 2 3 4 130; do grep -qE \"^\$s\\s\" '$man_page' || exit 1; done"
finish
