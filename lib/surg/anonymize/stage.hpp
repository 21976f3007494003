#pragma once
// The anonymize stage between a Reader and a Writer: each video frame anonymized (see
// anonymizer.hpp), audio and chapter marks passed through, the evidence kept. The tool's
// main reads units and hands them here.
//
// Exit status (finish()): 0 when every frame went out as asked (including slates from
// privacy requests, out-of-body frames, the detector's warm-up and, in live mode,
// lateness); 1 when a detector was unavailable (missing model) or failed on any frame -- the
// output is still complete and safe (those frames are the slate) but not what was asked for.
// Usage/configuration errors (2) and invalid input (4) are thrown before any output.
#include <memory>
#include <string>

#include "surg/anonymize/options.hpp"
#include "surg/cli/tool.hpp"
#include "surg/media/stream.hpp"

namespace surg::anonymize {

struct Pending;
struct FrameResult;

class Stage {
 public:
  // Checks the options (UsageError) and the input's video (InputError), builds the
  // analysers and opens the output. `list_detectors` is handled by the caller.
  Stage(const Plan& plan, cli::Context& ctx, const media::StreamInfo& input);
  ~Stage();

  // A video frame read after waiting `read_wait` for it (live lag accounting).
  void video(AVFrame& frame, Micros read_wait);
  void audio(AVPacket& packet);
  void mark(const media::Unit& mark);
  // Finishes the output, writes --report and --review; returns the exit status.
  int finish();
  // The totals for --stats (also valid after DownstreamClosed).
  nlohmann::json stats() const;

 private:
  struct Impl;
  void release(Pending& pending);
  void release(AVFrame& frame, std::int64_t index, Micros t, const FrameResult& result);
  void flush();
  std::unique_ptr<Impl> impl_;
};

// "name  description" lines of the detector registry, for --list-detectors.
std::string detector_list();

}  // namespace surg::anonymize
