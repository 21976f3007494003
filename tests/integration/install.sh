#!/usr/bin/env bash
# cmake --install into a prefix gives working binaries, man pages and completions for every tool.
source "$(dirname "$0")/lib.sh"

prefix=$WORK/prefix
check "cmake --install into a prefix" cmake --install "$BUILD" --prefix "$prefix"
check "surg-stream(5) installed" test -f "$prefix/share/man/man5/surg-stream.5"

for src in "$SRC"/tools/surg_*.cpp; do
  name=$(basename "$src" .cpp); name=${name//_/-}
  check "$name installed and runs" "$prefix/bin/$name" --version
  check "$name.1 installed" test -f "$prefix/share/man/man1/$name.1"
  check "$name.1 renders without warnings" \
    bash -c "! groff -man -ww -z '$prefix/share/man/man1/$name.1' 2>&1 | grep -q ."
  check "$name bash completion installed" test -f "$prefix/share/bash-completion/completions/$name"
  check "$name zsh completion installed" test -f "$prefix/share/zsh/vendor-completions/_$name"
  check "$name bash completion loads" bash -c "source '$prefix/share/bash-completion/completions/$name'"
done
finish
