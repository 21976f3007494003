#!/usr/bin/env bash
# surg-push --encoder: a hardware H.264 encoder is used when it opens, else libx264 with a log
# line. This machine has no GPU, VA-API driver, Media SDK or CUDA: every hardware choice must
# fall back and still give a playable H.264 file (doc/platform.md).
source "$(dirname "$0")/lib.sh"

surg-capture --duration 1 --size 320x240 -o "$WORK/in.nut" 2>/dev/null || fail "surg-capture makes the input"

for enc in auto vaapi qsv nvenc x264; do
  timeout -k 2 60 surg-push -v --encoder "$enc" -i "$WORK/in.nut" "$WORK/$enc.mp4" 2>"$WORK/$enc.err"
  check "--encoder $enc: exit 0" test $? = 0
  check "--encoder $enc: H.264 out" test "$(probe_entry "$WORK/$enc.mp4" v:0 codec_name)" = h264
  check "--encoder $enc: all 30 frames" test "$(count_frames "$WORK/$enc.mp4")" = 30
done
check "--encoder auto says it fell back to libx264" grep -q "encoding with libx264" "$WORK/auto.err"
check "--encoder vaapi warns that h264_vaapi does not open" grep -q "\[warn.*--encoder vaapi.*libx264" "$WORK/vaapi.err"
check "--encoder x264 probes no hardware" bash -c "! grep -q 'h264_vaapi' '$WORK/x264.err'"
expect_status 2 "--encoder foo is a usage error" surg-push --encoder foo -i "$WORK/in.nut" "$WORK/foo.mp4"
finish
