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
media::StreamInfo output_info(const media::StreamInfo& in, const Settings& settings, bool control);

// Copies every unit from reader to writer, annotating video frames; marks made by commands
// land at the frame during which they arrived. Returns the counts for --stats.
nlohmann::json pump(media::Reader& reader, media::Writer& writer, Annotator& annotator, const Poll& poll);

int run(const Options& options, cli::Context& ctx);

}  // namespace surg::annotate
