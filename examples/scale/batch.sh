#!/usr/bin/env bash
# Turns a backlog of recordings into anonymised teaching clips with GNU parallel: each line of
# LIST is one job of examples/teaching-clip.sh (so each job checks its own case's consent and
# is refused, exit 3, without it), run on this machine or on several hosts over ssh.
# Resumable: the job log records every job; --resume skips those already done (succeeded or
# refused), --retry-failed runs the failed ones again. See doc/scale.md.
#
#   examples/scale/batch.sh [options] LIST OUTDIR
#     -j, --jobs N            jobs at once on each host (default: parallel's, one a core)
#     --sshloginfile FILE     hosts to run on (GNU parallel's format, ":" = this machine);
#                             the recordings, OUTDIR and the surg tools must be at the same
#                             paths on every host (shared storage)
#     --joblog FILE           job log (default OUTDIR/batch.joblog)
#     --resume                skip the jobs the log says are done
#     --retry-failed          run again the jobs the log says failed
#
# LIST: one job a line, tab-separated: CASE RECORDING START DURATION CLIP.mp4 [CAPTIONS]
# (CLIP.mp4 relative to OUTDIR); blank lines and lines starting with # are skipped.
# The environment of teaching-clip.sh (SURG_CONSENT_STORE, SURG_TITLE, SURG_ZONES,
# SURG_MASK_CIRCLE, ...) is passed to every job, also on remote hosts.
# Exit status: 0 when every job succeeded, 1 when some failed (the job log says which),
# 2 on wrong arguments.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
clip_sh=${SURG_CLIP_SCRIPT:-$here/../teaching-clip.sh}
usage() { sed -n '/^#   examples/,/^# Exit/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

parallel_opts=()
joblog=
while (($#)); do
  case $1 in
    -j | --jobs) parallel_opts+=(--jobs "$2"); shift 2 ;;
    --sshloginfile) parallel_opts+=(--sshloginfile "$2"); shift 2 ;;
    --joblog) joblog=$2; shift 2 ;;
    --resume) parallel_opts+=(--resume); shift ;;
    --retry-failed) parallel_opts+=(--resume-failed); shift ;;
    -h | --help) usage ;;
    -*) echo "${0##*/}: unknown option $1" >&2; usage ;;
    *) break ;;
  esac
done
(($# == 2)) || usage
list=$1 outdir=$2
[ -r "$list" ] || { echo "${0##*/}: $list: cannot read it" >&2; exit 2; }
mkdir -p "$outdir" || exit 2
outdir=$(cd "$outdir" && pwd)
joblog=${joblog:-$outdir/batch.joblog}

# One job: teaching-clip.sh with the clip under OUTDIR; its stderr kept beside the clip.
job() {
  local clip_sh=$1 outdir=$2 case_id=$3 recording=$4 start=$5 span=$6 clip=$7 captions=${8:-}
  mkdir -p "$(dirname "$outdir/$clip")"
  "$clip_sh" "$case_id" "$recording" "$start" "$span" "$outdir/$clip" ${captions:+"$captions"} \
    2>"$outdir/${clip%.mp4}.log"
}
export -f job

# The SURG_* variables and PATH travel with each job (--env), also over ssh.
env_opts=(--env job --env PATH)
for v in $(compgen -e | grep '^SURG_'); do env_opts+=(--env "$v"); done

grep -v -e '^#' -e '^[[:space:]]*$' "$list" |
  parallel --colsep '\t' --joblog "$joblog" --halt never --line-buffer "${env_opts[@]}" "${parallel_opts[@]}" \
    job "$clip_sh" "$outdir" {1} {2} {3} {4} {5} {6}
failed=$?
((failed == 0)) && exit 0
echo "${0##*/}: $failed job(s) failed; see $joblog and the .log beside each clip" >&2
exit 1
