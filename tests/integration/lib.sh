# Sourced by every tests/integration/*.sh and tests/eval/*.sh script.
# Gives: PATH with the built tools first, FREE_DATA (the real data that ships in tests/data),
# DATA (the research data, when present: see need_data), WORK (a temp dir removed at exit with
# every process the test started), and TAP-like checks that tests/run.sh counts:
# "ok - ...", "not ok - ...", "skip - ...".
set -uo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${SURG_BUILD:-$SRC/build}
export PATH="$BUILD:$PATH"
export SURG_MODEL_DIR=${SURG_MODEL_DIR:-$SRC/.cache/models}
FREE_DATA=$SRC/tests/data
export SURG_CDP=$SRC/tests/integration/cdp.js  # Chromium's DevTools pipe, for the *_chromium.sh drivers
# Research-only data (README, "Test data"): $SURG_DATA, else ../shared/data beside the clone
# when it exists; SURG_DATA=none runs without it on purpose. Use it only behind need_data.
if [ "${SURG_DATA:-}" = none ]; then DATA=""
elif [ -n "${SURG_DATA:-}" ]; then DATA=$SURG_DATA
elif [ -d "$SRC/../shared/data" ]; then DATA=$(cd "$SRC/../shared/data" && pwd)
else DATA=""
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/surg-test.XXXXXX")
unset SURG_STREAM_KEY SURG_LOG_LEVEL
export XDG_CONFIG_HOME=$WORK/xdg-config XDG_DATA_HOME=$WORK/xdg-data
_failures=0
_bg_pids=()

# use_consent_trust [NAME]: a system config of the test's own ($SURG_TEST_SYSCONFIG, honoured
# by test builds only, never the real /etc/surg/surg.toml) whose [ledger] table keeps the
# consent witness and signing key under $WORK/trust-NAME. `surg-consent keygen --install`
# pins the key there. One ledger a trust: a test with several stores calls this again.
use_consent_trust() {
  local d=$WORK/trust-${1:-default}
  mkdir -p "$d"
  printf '[ledger]\nwitness = "%s"\nsigning-key = "%s"\nowner = "%s"\n' \
    "$d/witness/consent.witness" "$d/signing/consent.key" "$(id -un)" >"$d/surg.toml"
  export SURG_TEST_SYSCONFIG=$d/surg.toml
}
use_consent_trust

# bin_for_others: a folder of copies of the surg tools that another uid can run ($WORK made
# traversable), printed: the build folder may sit where only its owner can reach it (a clone
# inside a private directory). Use as: setpriv ... env PATH="$(bin_for_others):$PATH" ...
bin_for_others() {
  local d=$WORK/bin-others
  if [ ! -d "$d" ]; then
    mkdir -p "$d" && cp "$BUILD"/surg-* "$d"/ 2>/dev/null
    chmod 755 "$WORK" "$d" "$d"/*
  fi
  echo "$d"
}

_cleanup() {
  local pid
  for pid in "${_bg_pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  sleep 0.2
  for pid in "${_bg_pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  rm -rf "$WORK"
}
trap _cleanup EXIT

pass() { echo "ok - $*"; }
fail() { echo "not ok - $*"; _failures=$((_failures + 1)); }
# check "description" command...: passes when the command succeeds.
check() { local d=$1; shift; if "$@"; then pass "$d"; else fail "$d"; fi; }
# expect_status N "description" command...: passes when the command exits with N.
expect_status() {
  local want=$1 d=$2; shift 2
  "$@"; local got=$?
  if [ "$got" = "$want" ]; then pass "$d"; else fail "$d (exit $got, want $want)"; fi
}
finish() { exit $((_failures > 0)); }
# lacks ERE FILE...: every FILE exists and none holds a match of ERE (binary files too). A
# "nothing leaked" check must fail when the file it looks into was never written.
lacks() {
  local pattern=$1 f
  shift
  for f in "$@"; do [ -e "$f" ] || return 1; done
  ! grep -aqE -- "$pattern" "$@"
}
# skip "description" "reason": a check not made, said and counted (tests/run.sh).
skip() { echo "skip - $1 ($2)"; }

# need_data "what is skipped without it" SET...: succeeds when every research data SET (a
# folder of $DATA) is present; else prints one counted skip line and fails, so that
#   if need_data "EndoVis clip checks" endovis2017-robotic-clip; then ...; fi
# runs the block only with the data.
need_data() {
  local what=$1 set missing=()
  shift
  for set in "$@"; do [ -n "$DATA" ] && [ -d "$DATA/$set" ] || missing+=("$set"); done
  ((${#missing[@]} == 0)) && return 0
  skip "$what" "research data ${missing[*]} absent from ${DATA:-SURG_DATA}: set SURG_DATA"
  return 1
}

# Remembers a background process so it is killed at exit: bg_track $!
bg_track() { _bg_pids+=("$1"); }

# ffprobe shorthands (never read the terminal; bounded).
probe() { timeout -k 2 30 ffprobe -v error "$@" </dev/null; }  # ffprobe 5.1 has no -nostdin

# The test pattern's sync marks (surg-capture(1)): it flashes the field of view and beeps at the
# same instant once a second.
# flash_times FILE: start times of the flashes, frames whose centre is above 200 and whose
# predecessor's is not.
flash_times() {
  timeout -k 2 60 ffprobe -v error -f lavfi -i "movie=$1,crop=iw/4:ih/4,signalstats" \
    -show_entries frame=pts_time:frame_tags=lavfi.signalstats.YAVG -of csv=p=0 </dev/null |
    tr ',' ' ' | awk '$2 > 200 && !prev {print $1} {prev = ($2 > 200)}'
}
# beep_times FILE START: start times of the beeps (START + the first sample above half scale
# after half a second of less).
beep_times() {
  timeout -k 2 60 ffmpeg -nostdin -v error -i "$1" -map 0:a -ac 1 -f s16le - | od -An -v -td2 -w2 |
    awk -v start="$2" 'BEGIN {last = -100000}
      {v = $1 < 0 ? -$1 : $1}
      v > 16000 && NR - last > 24000 {printf "%.6f\n", start + (NR - 1) / 48000}
      v > 16000 {last = NR}'
}
# Number of video frames in a file (decoded count).
count_frames() {
  probe -select_streams v:0 -count_frames -show_entries stream=nb_read_frames -of csv=p=0 "$1" | head -1
}
# count_packets FILE: video packets, read without decoding (one a frame; for files too long
# to decode within probe's 30 s).
count_packets() {
  probe -select_streams v:0 -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$1" | head -1
}
probe_entry() {  # probe_entry FILE STREAMSEL ENTRY  e.g. probe_entry x.mp4 v:0 codec_name
  probe -select_streams "$2" -show_entries "stream=$3" -of csv=p=0 "$1" | head -1
}
duration_of() { probe -show_entries format=duration -of csv=p=0 "$1"; }

# A TCP port on 127.0.0.1 nobody listens on now.
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo "$p"; return; }
  done
}
wait_port() {  # wait_port PORT [SECONDS]
  local i
  for ((i = 0; i < ${2:-10} * 10; i++)); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# start_nginx NAME PORT [HTTP_PORT [HTTP_ROOT]]: nginx-rtmp on 127.0.0.1:PORT with application
# "live", its own prefix under $WORK/NAME (never the system one); optional static HTTP server.
start_nginx() {
  local name=$1 port=$2 http_port=${3:-} root=${4:-$WORK}
  local p=$WORK/$name
  mkdir -p "$p/logs"
  {
    echo "load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;"
    echo "daemon off; pid $p/nginx.pid; error_log $p/error.log; worker_processes 1;"
    echo "events {}"
    echo "rtmp { server { listen 127.0.0.1:$port; application live { live on; record off; } } }"
    if [ -n "$http_port" ]; then
      echo "http { access_log off; client_body_temp_path $p; proxy_temp_path $p;"
      echo "  fastcgi_temp_path $p; uwsgi_temp_path $p; scgi_temp_path $p;"
      echo "  types { text/html html; application/vnd.apple.mpegurl m3u8; video/mp2t ts; application/javascript js; }"
      echo "  server { listen 127.0.0.1:$http_port; root $root; } }"
    fi
  } >"$p/nginx.conf"
  nginx -p "$p" -c "$p/nginx.conf" 2>>"$p/error.log" &
  local pid=$!
  bg_track "$pid"
  echo "$pid" >"$p/started.pid"
  wait_port "$port" 10
}
# kill_nginx NAME: the server dies at once, master and workers. The master is stopped first: a
# master that sees its worker die starts another, which would outlive it holding the port
# (CI once found an edge "killed" this way still accepting connections).
kill_nginx() {
  local pid; pid=$(cat "$WORK/$1/started.pid")
  kill -STOP "$pid" 2>/dev/null
  kill -KILL $(pgrep -P "$pid") "$pid" 2>/dev/null
}
stop_nginx() {  # stop_nginx NAME
  local pid; pid=$(cat "$WORK/$1/started.pid")
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
}

# man_entry_options MAN: the long options a man page documents as entries (the line after
# each .TP, e.g. ".BI \-\-key\-file " [LABEL=]FILE"" or ".BR \-v ", " \-\-verbose").
man_entry_options() {
  awk '/^\.TP/ {getline; print}' "$1" | sed 's/\\-/-/g' | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u
}

# check_options_documented TOOL: every long option TOOL --help lists appears in its man
# page and in both completions, the man page's entries and the completions name no option
# the tool lacks, the bash completion loads and registers, and the man page renders without
# groff warnings.
# Leaves the option list in $options and the --help text in $help for further checks.
check_options_documented() {
  local tool=$1 opt
  local man_page=$SRC/man/$tool.1 bash_comp=$SRC/completions/bash/$tool zsh_comp=$SRC/completions/zsh/_$tool
  help=$("$tool" --help) || fail "$tool --help exits 0"
  # The options column only: lines that start with spaces then a dash.
  options=$(printf '%s\n' "$help" | grep -E '^\s+-' | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
  check "$tool --help lists the common options" grep -q -- '--stats' <<<"$options"
  # The man page escapes dashes (\-); compare with the escapes removed.
  local man_text bash_text zsh_text
  man_text=$(sed 's/\\-/-/g' "$man_page") bash_text=$(cat "$bash_comp") zsh_text=$(cat "$zsh_comp")
  _has() { grep -qE -- "$1([^a-z0-9-]|\$)" <<<"$2"; }
  for opt in $options; do
    check "man page documents $opt" _has "$opt" "$man_text"
    check "bash completion offers $opt" _has "$opt" "$bash_text"
    check "zsh completion offers $opt" _has "$opt" "$zsh_text"
  done
  for opt in $(grep -ohE -- '--[a-z][a-z0-9-]*' "$bash_comp" "$zsh_comp" | sort -u); do
    check "completion option $opt exists in --help" _has "$opt" "$options"
  done
  for opt in $(man_entry_options "$man_page"); do
    check "man page option $opt exists in --help" _has "$opt" "$options"
  done
  check "bash completion parses" bash -n "$bash_comp"
  check "bash completion registers $tool" bash -c "source '$bash_comp'; complete -p $tool >/dev/null"
  check "$tool.1 renders without warnings" bash -c "[ -z \"\$(groff -man -t -Tutf8 -ww -z '$man_page' 2>&1)\" ]"
  check_man_defaults "$man_page"
}

# check_man_defaults MAN_PAGE: the defaults live in the code and --help shows them
# ("--hold TEXT:DURATION=500ms"); a man page entry that states one ("(default 500ms)") must
# state the same. Uses $help.
check_man_defaults() {
  local opt shown stated
  while read -r opt shown; do
    stated=$(man_default "$1" "$opt")
    [ -n "$stated" ] || continue
    check "man page default of $opt is --help's ($shown)" test "$stated" = "$shown"
  done < <(printf '%s\n' "$help" | sed -nE 's/^\s+(-[a-z],)?(--[a-z0-9-]+)[ ,]([^ =]| [^ =])*=([^ ]+).*/\2 \4/p')
}

# man_default MAN_PAGE OPTION: the X of "(default X)" or "(default X;" in OPTION's entry.
man_default() {
  sed 's/\\-/-/g; s/\\f[BIRP]//g; s/\\(dq/"/g' "$1" |
    awk -v opt="$2" '/^\.(TP|SH|SS)/ { inside = 0; head = $0 ~ /^\.TP/; next }
      head { head = 0; sub(/^\.B[IR]? /, ""); gsub(/"/, "")
             inside = index($0 " ", opt " ") == 1 || index($0, opt ",") == 1; next }
      inside { print }' |
    tr '\n' ' ' | sed -nE 's/.*\(default ([^ );]+)[);].*/\1/p'
}
