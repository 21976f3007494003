// surg-console: the operator's panel. A pass-through stage (stdin -> stdout: frames forwarded
// as read, audio byte for byte unless muted) that serves a page on loopback with a preview of
// what goes out, the state of every stage, and the buttons: privacy slate, mute, chapter mark,
// live caption. See surg-console(1) and doc/console.md.
#include "surg/cli/tool.hpp"
#include "surg/console/options.hpp"
#include "surg/console/run.hpp"

int main(int argc, char** argv) {
  surg::console::Options options;
  return surg::cli::tool_main(
      argc, argv,
      {"surg-console", "console",
       "pass a surg stream through while serving the operator's panel: preview, state, privacy, mute, marks"},
      [&](CLI::App& app) { surg::console::add_options(app, options); },
      [&](surg::cli::Context& ctx) { return surg::console::run(options, ctx); });
}
