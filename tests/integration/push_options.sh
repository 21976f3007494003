#!/usr/bin/env bash
# Every long option surg-push --help lists appears in its man page and in both completions,
# and the completions offer no option the tool does not have.
source "$(dirname "$0")/lib.sh"

man_page=$SRC/man/surg-push.1
bash_comp=$SRC/completions/bash/surg-push
zsh_comp=$SRC/completions/zsh/_surg-push

help=$(surg-push --help) || fail "surg-push --help exits 0"
options=$(printf '%s\n' "$help" | grep -E '^\s+-' | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
check "--help lists the push options" grep -q -- '--key-file' <<<"$options"
check "--help lists the common options" grep -q -- '--stats' <<<"$options"
check "--help lists at least 20 long options" test "$(wc -l <<<"$options")" -ge 20

man_text=$(sed 's/\\-/-/g' "$man_page")
has() { grep -qE -- "$1([^a-z0-9-]|\$)" <<<"$2"; }
for opt in $options; do
  check "man page documents $opt" has "$opt" "$man_text"
  check "bash completion offers $opt" has "$opt" "$(cat "$bash_comp")"
  check "zsh completion offers $opt" has "$opt" "$(cat "$zsh_comp")"
done
for opt in $(grep -ohE -- '--[a-z][a-z0-9-]*' "$bash_comp" "$zsh_comp" | sort -u); do
  check "completion option $opt exists in --help" has "$opt" "$options"
done

# Presets: the completions ask the tool; the man page documents each one.
presets=$(printf '%s\n' "$help" | sed -n 's/.*platform preset: //p' | tr -d ',')
check "--help lists the presets" test -n "$presets"
for p in $presets; do check "man page documents preset $p" grep -q "$p" "$man_page"; done
check "bash completion offers the presets" bash -c "
  source '$bash_comp'
  [ \"\$(_surg_push_presets | wc -w)\" = $(wc -w <<<"$presets") ]"

check "bash completion parses" bash -n "$bash_comp"
check "bash completion registers the command" bash -c "source '$bash_comp'; complete -p surg-push >/dev/null"
check "zsh completion parses" bash -c "! command -v zsh >/dev/null || zsh -n '$zsh_comp'"
check "man page has the required sections" bash -c "
  for s in NAME SYNOPSIS DESCRIPTION OPTIONS CONFIGURATION 'EXIT STATUS' EXAMPLES 'SEE ALSO'; do
    grep -q \"^\\.SH \$s\" '$man_page' || exit 1; done"
check "man page documents every exit status" bash -c "
  for s in 0 1 2 3 4 130; do grep -qE \"^\$s\\s\" '$man_page' || exit 1; done"
check "man page renders without warnings" \
  bash -c "! command -v groff >/dev/null || [ -z \"\$(groff -man -t -Tutf8 -ww -z '$man_page' 2>&1)\" ]"
finish
