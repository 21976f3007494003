#!/usr/bin/env bash
# Every long option surg-annotate --help lists appears in its man page and in both
# completions, and the completions offer no option the tool does not have.
source "$(dirname "$0")/lib.sh"

man_page=$SRC/man/surg-annotate.1
bash_comp=$SRC/completions/bash/surg-annotate
zsh_comp=$SRC/completions/zsh/_surg-annotate

help=$(surg-annotate --help) || fail "surg-annotate --help exits 0"
# The options column only: lines that start with spaces then a dash.
options=$(printf '%s\n' "$help" | grep -E '^\s+-' | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
check "--help lists the annotate options" grep -q -- "--logo-opacity" <<<"$options"
check "--help lists the common options" grep -q -- '--stats' <<<"$options"

# The man page escapes dashes (\-); compare with the escapes removed.
man_text=$(sed 's/\\-/-/g' "$man_page")
has() { grep -qE -- "$1([^a-z0-9-]|\$)" <<<"$2"; }
for opt in $options; do
  check "man page documents $opt" has "$opt" "$man_text"
  check "bash completion offers $opt" has "$opt" "$(cat "$bash_comp")"
  check "zsh completion offers $opt" has "$opt" "$(cat "$zsh_comp")"
done

# No stale options in the completions.
for opt in $(grep -oE -- '--[a-z][a-z0-9-]*' "$bash_comp" "$zsh_comp" | cut -d: -f2 | sort -u); do
  check "completion option $opt exists in --help" has "$opt" "$options"
done

check "bash completion offers the corners" bash -c "grep -q bottom-center '$bash_comp'"
check "bash completion parses" bash -n "$bash_comp"
check "bash completion registers the command" bash -c "source '$bash_comp'; complete -p surg-annotate >/dev/null"
check "man page renders without warnings" \
  bash -c "! command -v groff >/dev/null || [ -z \"\$(groff -man -t -Tutf8 -ww -z '$man_page' 2>&1)\" ]"
finish
