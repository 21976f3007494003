#!/usr/bin/env bash
# Every long option of surg-anonymize --help is in its man page and both completions; the
# completions offer nothing the tool lacks; options also work from a config file.
source "$(dirname "$0")/lib.sh"

check_options_documented surg-anonymize
man_page=$SRC/man/surg-anonymize.1
bash_comp=$SRC/completions/bash/surg-anonymize
check "--help lists the anonymize options" grep -q -- '--mask-outside-circle' <<<"$options"
check "--help lists the negated flags" grep -q -- '--no-oob' <<<"$options"
check "bash completion asks the tool for detectors" \
  bash -c "source '$bash_comp'; COMP_WORDS=(surg-anonymize --detector ha); COMP_CWORD=2; _surg_anonymize; [ \"\${COMPREPLY[*]}\" = haar ]"
for s in 0 1 2 3 4 130; do
  check "man page EXIT STATUS lists $s" grep -qE "^\\.IP $s\$|^$s\$|^\\.B $s\$" "$man_page"
done

# The [anonymize] table of a config file uses the long option names; flags override it.
timeout -k 2 30 ffmpeg -nostdin -v error -f lavfi -i testsrc2=s=160x120:r=10:d=1 -c:v rawvideo -pix_fmt yuv420p \
  -f nut "$WORK/src.nut"
printf '[anonymize]\nfaces = false\noob = false\nmethod = "fill"\nslate-text = "x"\n' >"$WORK/conf.toml"
timeout -k 2 30 surg-anonymize --config "$WORK/conf.toml" --report "$WORK/r.json" -i "$WORK/src.nut" -o "$WORK/o.nut" 2>/dev/null
check "config file: faces and oob off" grep -q '"chain": "anonymize@[0-9.]*:"' "$WORK/r.json"
timeout -k 2 30 surg-anonymize --config "$WORK/conf.toml" --oob --report "$WORK/r2.json" -i "$WORK/src.nut" \
  -o "$WORK/o.nut" 2>/dev/null
check "config file: a flag overrides it" grep -q '"chain": "anonymize@[0-9.]*:oob"' "$WORK/r2.json"
printf '[anonymize]\nlive = false\n' >"$WORK/live.toml"
check "config file: live = false gives offline mode on a pipe" \
  bash -c "cat '$WORK/src.nut' | timeout 30 surg-anonymize --config '$WORK/live.toml' --no-faces --no-oob -o /dev/null 2>&1 | grep -q 'offline mode'"
check "config file: --live overrides live = false" \
  bash -c "timeout 30 surg-anonymize --config '$WORK/live.toml' --live --no-faces --no-oob -i '$WORK/src.nut' -o /dev/null 2>&1 | grep -q ' live mode'"
check "a regular file means offline mode" \
  bash -c "timeout 30 surg-anonymize --no-faces --no-oob -i '$WORK/src.nut' -o /dev/null 2>&1 | grep -q 'offline mode'"
printf '[anonymize]\nblurriness = 3\n' >"$WORK/bad.toml"
expect_status 2 "config file: unknown key is a usage error" \
  timeout -k 2 30 surg-anonymize --config "$WORK/bad.toml" -i "$WORK/src.nut" -o "$WORK/o.nut" 2>/dev/null
finish
