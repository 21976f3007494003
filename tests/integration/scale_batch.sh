#!/usr/bin/env bash
# Beyond one machine, a backlog (doc/scale.md): examples/scale/batch.sh runs the teaching-clip
# job over a list of recordings with GNU parallel, two job slots here. Each job checks its
# own consent: the job for a case without teaching consent fails (exit 3 in the job log)
# while the others finish; --resume runs nothing again; --retry-failed runs only the
# failed job again.
source "$(dirname "$0")/lib.sh"
batch=$SRC/examples/scale/batch.sh
export SURG_CONSENT_STORE=$WORK/consent SURG_MASK_CIRCLE=1 SURG_WARNING=1s

surg-consent keygen --install >/dev/null 2>&1 || fail "keygen"
grant() {
  local who
  for who in patient surgeon; do
    surg-consent grant "$1" --grantor "$who" --purpose "$2" --platform intranet \
      --anonymize faces,oob,text --audience adults --expires 2099-12-31 2>/dev/null || fail "grant $1 $who"
  done
}
grant CASE-B01 recording,teaching
grant CASE-B02 recording

for i in 1 2; do
  surg-capture --test-pattern --duration 4 --size 320x240 2>/dev/null | surg-push "$WORK/rec$i.mkv" 2>/dev/null ||
    fail "recording $i"
done
tab=$'\t'
cat >"$WORK/list.tsv" <<EOF
# case	recording	start	duration	clip
CASE-B01${tab}$WORK/rec1.mkv${tab}0:00${tab}2${tab}a/one.mp4
CASE-B01${tab}$WORK/rec2.mkv${tab}1${tab}2${tab}a/two.mp4

CASE-B02${tab}$WORK/rec2.mkv${tab}0${tab}2${tab}b/refused.mp4
CASE-B01${tab}$WORK/rec1.mkv${tab}1${tab}2${tab}b/three.mp4
EOF

out=$WORK/clips
start=$SECONDS
timeout -k 5 600 "$batch" --jobs 2 "$WORK/list.tsv" "$out" 2>"$WORK/batch.err"
status=$?
echo "# 4 jobs, 2 slots: $((SECONDS - start)) s"
check "batch exits 1 when a job failed" test "$status" = 1
log=$out/batch.joblog
check "the job log has the 4 jobs" test "$(tail -n +2 "$log" | wc -l)" = 4
for c in a/one a/two b/three; do
  check "$c.mp4 made (H.264)" test "$(probe_entry "$out/$c.mp4" v:0 codec_name)" = h264
done
check "the job without teaching consent was refused (exit 3 in the job log)" \
  awk -F'\t' '$9 ~ /refused.mp4/ && $7 == 3 {found = 1} END {exit !found}' "$log"
check "... and made no clip" test ! -e "$out/b/refused.mp4"
check "... its log says why" grep -qi consent "$out/b/refused.log"
check "the other jobs succeeded (exit 0 in the job log)" \
  test "$(awk -F'\t' 'NR > 1 && $7 == 0' "$log" | wc -l)" = 3
# Two at a time: some jobs overlapped (start times and run times from the job log).
check "jobs ran two at a time" awk -F'\t' 'NR > 1 {s[n] = $3; e[n] = $3 + $4; n++}
  END {for (i = 0; i < n; i++) for (j = 0; j < n; j++) if (i != j && s[j] >= s[i] && s[j] < e[i]) o = 1; exit !o}' "$log"

stamp=$(stat -c %Y "$out/a/one.mp4")
sleep 1
timeout -k 5 120 "$batch" --jobs 2 --resume "$WORK/list.tsv" "$out" 2>"$WORK/resume.err"
check "--resume runs nothing again (the log keeps 4 jobs)" test "$(tail -n +2 "$log" | wc -l)" = 4
check "--resume leaves the made clips alone" test "$(stat -c %Y "$out/a/one.mp4")" = "$stamp"
timeout -k 5 300 "$batch" --jobs 2 --retry-failed "$WORK/list.tsv" "$out" 2>"$WORK/retry.err"
check "--retry-failed exits 1 (the refused job fails again)" test $? = 1
check "--retry-failed ran only the failed job again (5 entries)" test "$(tail -n +2 "$log" | wc -l)" = 5
expect_status 2 "batch.sh without arguments: exit 2" "$batch" 2>/dev/null
finish
