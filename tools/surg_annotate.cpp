// surg-annotate: titles, content-warning slate, timed and live captions, logo, clock and
// chapter marks burned into a surg stream (stdin -> stdout). Timestamps and audio pass
// untouched; only pixels change.
#include "surg/annotate/options.hpp"
#include "surg/annotate/run.hpp"
#include "surg/cli/tool.hpp"

int main(int argc, char** argv) {
  surg::annotate::Options options;
  return surg::cli::tool_main(
      argc, argv,
      {"surg-annotate", "annotate",
       "burn titles, a content-warning slate, captions, a logo and a clock into a surg stream"},
      [&](CLI::App& app) { surg::annotate::add_options(app, options); },
      [&](surg::cli::Context& ctx) { return surg::annotate::run(options, ctx); });
}
