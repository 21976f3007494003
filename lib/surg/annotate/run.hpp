#pragma once
// surg-annotate's loop: surg stream in, annotated surg stream out; audio and upstream marks
// pass untouched, video frames go through the Annotator.
#include <functional>
#include <vector>

#include <nlohmann/json.hpp>

#include "surg/annotate/annotator.hpp"
#include "surg/annotate/options.hpp"
#include "surg/cli/tool.hpp"
#include "surg/media/stream.hpp"

namespace surg::annotate {

// Commands received since the last call (the --control FIFO, or a test's script).
using Poll = std::function<std::vector<nlohmann::json>()>;

// The output declares what the input has, plus a marks track when marks may be made here,
// and this step in surg.chain.
media::StreamInfo output_info(const media::StreamInfo& in, const Plan& plan, bool control);

// What pump passes on untouched, counted for --stats.
struct PassedThrough {
  std::int64_t audio_packets = 0;
  std::int64_t upstream_marks = 0;
};

// Copies every unit from reader to writer, annotating video frames; marks made by commands
// land at the frame during which they arrived.
void pump(media::Reader& reader, media::Writer& writer, Annotator& annotator, const Poll& poll,
          PassedThrough& passed);

// The --stats summary: the annotator's counts, what passed through, bytes in and out.
nlohmann::json run_stats(const Annotator& annotator, const PassedThrough& passed, const media::Reader& reader,
                         const media::Writer& writer);

int run(const Options& options, cli::Context& ctx);

}  // namespace surg::annotate
