#!/usr/bin/env bash
# Every long option of surg-consent and of each of its subcommands, as --help lists them,
# appears in the man page and in both shell completions; every subcommand too; and the man
# page and the completions name no option that no --help lists.
source "$(dirname "$0")/lib.sh"

man=$SRC/man/surg-consent.1
bash_comp=$SRC/completions/bash/surg-consent
zsh_comp=$SRC/completions/zsh/_surg-consent
subcommands=$(surg-consent --help | awk '/^Subcommands:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {exit}')

check "--help lists the nine subcommands" test "$(echo $subcommands)" = \
  "keygen grant amend revoke show list verify audit export"

long_options() {  # long options in the help text on stdin
  grep -oE -- '(^|[ ,])--[a-z][a-z0-9-]*' | sed 's/^[ ,]//' | sort -u
}

all_options=""
for sub in "" $subcommands; do
  help=$(surg-consent $sub --help) || { fail "surg-consent $sub --help exits 0"; continue; }
  options=$(long_options <<<"$help")
  all_options+=" $options"
  [ -n "$options" ] || fail "no options found in surg-consent $sub --help"
  for opt in $options; do
    roff=${opt//-/\\-}
    check "${sub:-main}: $opt in the man page" grep -qF -- "$roff" "$man"
    check "${sub:-main}: $opt in the bash completion" grep -qE -- "(^|[^a-z-])$opt([^a-z-]|$)" "$bash_comp"
    check "${sub:-main}: $opt in the zsh completion" grep -qE -- "(^|[^a-z-])$opt([^a-z-]|$)" "$zsh_comp"
  done
  if [ -n "$sub" ]; then
    check "subcommand $sub in the man page" grep -qE "^\.B(I)? \"?$sub" "$man"
    check "subcommand $sub in the bash completion" grep -qw -- "$sub" "$bash_comp"
    check "subcommand $sub in the zsh completion" grep -qF -- "$sub\\:" "$zsh_comp"
  fi
done

# The other way: an option the man page documents (an entry) or a completion offers exists in
# the --help of the tool or of one of its subcommands.
for opt in $(man_entry_options "$man"); do
  check "man page option $opt exists in a --help" grep -qw -- "$opt" <<<"$all_options"
done
for opt in $(grep -ohE -- '--[a-z][a-z0-9-]*' "$bash_comp" "$zsh_comp" | sort -u); do
  check "completion option $opt exists in a --help" grep -qw -- "$opt" <<<"$all_options"
done

# The bash completion at work (bash-completion's helpers stubbed: not installed here).
complete_line() {  # complete_line WORD... : what the completion offers for the last word
  bash -c '
    _init_completion() { words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; cur=${words[cword]}; prev=${words[cword-1]}; }
    _filedir() { :; }; compopt() { :; }; complete() { :; }
    source "$0"
    COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
    _surg_consent
    echo "${COMPREPLY[*]}"' "$bash_comp" "$@"
}
check "bash completes subcommands" test "$(complete_line surg-consent ve)" = verify
check "bash completes list items after a comma" \
  test "$(complete_line surg-consent grant CASE-1 --purpose live-broadcast,re)" = live-broadcast,recording
check "bash completes --for values" test "$(complete_line surg-consent verify CASE-1 --for '')" = \
  "live-broadcast recording teaching"
store=$WORK/store
surg-consent -q --store "$store" keygen --install >/dev/null
surg-consent -q --store "$store" grant CASE-0042 --grantor patient --purpose recording --platform none \
  --anonymize none --audience adults --expires 2099-12-31
check "bash completes case ids from the ledger" \
  test "$(complete_line surg-consent --store "$store" show '')" = CASE-0042

check "the man page has an EXIT STATUS section" grep -q '^\.SH EXIT STATUS' "$man"
for status in 0 1 2 3 4 130; do
  check "EXIT STATUS documents $status" grep -qE "^$status	" "$man"
done
check "surg-consent(5) exists" test -s "$SRC/man/surg-consent.5"
finish
