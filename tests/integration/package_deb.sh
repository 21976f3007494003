#!/usr/bin/env bash
# The Debian package: `cpack -G DEB` from the build tree (dpkg-shlibdeps computes the library
# dependencies), its control fields and contents, the extracted binaries running a pipeline, and,
# in CI as root only, `apt-get install ./surg_*.deb`, the tools from /usr/bin, and removal.
source "$(dirname "$0")/lib.sh"
command -v dpkg-shlibdeps >/dev/null || { fail "dpkg-shlibdeps missing (Debian package dpkg-dev)"; finish; }
tools=(surg-capture surg-anonymize surg-annotate surg-console surg-push surg-consent)

# cpack builds what is out of date first; on a built tree that is a no-op.
timeout -k 5 900 cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$WORK/pkg" \
  >"$WORK/cpack.log" 2>&1
status=$?  # before the description's $(...) resets $?
check "cpack -G DEB succeeds (log: $(tail -1 "$WORK/cpack.log"))" test "$status" = 0
deb=$(ls "$WORK"/pkg/surg_*.deb 2>/dev/null | head -1)
check "a surg_VERSION_ARCH.deb is made ($(basename "${deb:-none}"))" \
  bash -c '[[ $(basename "$1") =~ ^surg_[0-9.]+_(amd64|arm64|[a-z0-9]+)\.deb$ ]]' _ "${deb:-none}"
[ -n "$deb" ] || finish  # the check above failed: nothing more to look at

info=$(dpkg-deb -I "$deb")
field() { sed -n "s/^ $1: //p" <<<"$info"; }
depends=$(field Depends)
check "Package: surg" test "$(field Package)" = surg
check "Architecture is this machine's" test "$(field Architecture)" = "$(dpkg --print-architecture)"
for lib in libavformat libavcodec libavutil libswscale libswresample libopencv-core libopencv-dnn \
  libsodium libspdlog opencv-data fonts-dejavu-core; do
  check "Depends names $lib" grep -q "$lib" <<<"$depends"
done
check "Depends has version bounds from the shlibs (e.g. libc6 (>= ...))" \
  grep -qE 'libc6 \(>= [0-9.]+\)' <<<"$depends"

contents=$(dpkg-deb -c "$deb" | awk '{ print $NF }')
has() { grep -qx -- "$1" <<<"$contents"; }
for t in "${tools[@]}"; do
  check "contains /usr/bin/$t" has "./usr/bin/$t"
  check "contains the man page $t.1" has "./usr/share/man/man1/$t.1"
  check "contains the bash completion of $t" has "./usr/share/bash-completion/completions/$t"
  check "contains the zsh completion of $t" has "./usr/share/zsh/vendor-completions/_$t"
done
check "contains surg-stream.5" has ./usr/share/man/man5/surg-stream.5
check "contains the face model (ONNX + LICENSE)" \
  bash -c 'grep -q "^./usr/share/surg/models/.*\.onnx$" <<<"$1" && grep -qx ./usr/share/surg/models/LICENSE <<<"$1"' _ "$contents"
check "contains the examples (live, teaching, cron units, zones, config)" bash -c '
  for f in live-broadcast.sh teaching-clip.sh cron/surg-test-stream.sh cron/surg-test-stream.service \
    cron/surg-test-stream.timer zones/test-pattern.toml config/surg.toml; do
    grep -qx "./usr/share/surg/examples/$f" <<<"$1" || { echo "missing $f" >&2; exit 1; }; done' _ "$contents"
check "nothing outside /usr" bash -c '! grep -v "^\./usr/\|^\./$" <<<"$1" | grep -q .' _ "$contents"

# The binaries as packaged: no path into the build tree, and they run on the system's libraries.
dpkg-deb -x "$deb" "$WORK/root"
for t in "${tools[@]}"; do
  check "$t: no RPATH/RUNPATH into the build tree" \
    bash -c '! readelf -d "$1" | grep -qE "R(UN)?PATH.*(/work|$2)"' _ "$WORK/root/usr/bin/$t" "$BUILD"
  check "$t --version runs from the package" bash -c '"$1" --version >/dev/null' _ "$WORK/root/usr/bin/$t"
done
check "examples are executable in the package" test -x "$WORK/root/usr/share/surg/examples/live-broadcast.sh"
timeout -k 2 60 bash -c '"$1"/surg-capture --test-pattern --duration 2 | "$1"/surg-push "$2"' _ \
  "$WORK/root/usr/bin" "$WORK/extracted.mp4" 2>"$WORK/extracted.err"
check "packaged surg-capture | surg-push makes a 2 s H.264 MP4" \
  test "$(probe_entry "$WORK/extracted.mp4" v:0 codec_name)" = h264 -a "$(count_frames "$WORK/extracted.mp4")" = 60

# Installing for real changes the machine: only as root in CI.
if [ "${CI:-}" = true ] && [ "$(id -u)" = 0 ]; then
  check "apt-get install ./surg_*.deb" bash -c 'cd "$1" && timeout -k 5 600 \
    env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ./surg_*.deb >"$2" 2>&1' _ "$WORK/pkg" \
    "$WORK/apt-install.log"
  timeout -k 2 60 bash -c '/usr/bin/surg-capture --test-pattern --duration 2 | /usr/bin/surg-push "$1"' _ \
    "$WORK/installed.mp4" 2>"$WORK/installed.err"
  check "installed: surg-capture --test-pattern --duration 2 | surg-push x.mp4 (60 frames)" \
    test "$(count_frames "$WORK/installed.mp4")" = 60
  check "installed: man surg-push finds the page" bash -c 'man -w surg-push >/dev/null'
  check "installed: surg-anonymize finds the packaged face model" \
    bash -c '/usr/bin/surg-capture --test-pattern --duration 1 2>/dev/null | env -u SURG_MODEL_DIR /usr/bin/surg-anonymize --no-live >/dev/null 2>&1'
  check "apt-get remove surg" bash -c 'timeout -k 5 300 env DEBIAN_FRONTEND=noninteractive \
    apt-get remove -y -qq surg >"$1" 2>&1' _ "$WORK/apt-remove.log"
  check "removed: /usr/bin/surg-push is gone" test ! -e /usr/bin/surg-push
else
  skip "apt-get install ./surg_*.deb, the installed tools, apt-get remove" "only as root with CI=true"
fi
finish
