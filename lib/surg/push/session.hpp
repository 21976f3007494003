#pragma once
// One run of surg-push: the encoders and the outputs behind them. The tool feeds it the
// units it reads; finish() flushes the encoders and finishes every output.
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "surg/media/stream.hpp"
#include "surg/push/chapters.hpp"
#include "surg/push/encoder.hpp"
#include "surg/push/output.hpp"
#include "surg/push/plan.hpp"
#include "surg/cli/progress.hpp"

namespace surg::push {

class Session {
 public:
  // Opens the encoders and every output (files now: an unwritable one fails here).
  // Throws UsageError when the input breaks the preset's rules.
  // `tags`: the session tags to write (the input's, with the consent's added by the gate).
  Session(const Plan& plan, media::Reader& reader, const media::Tags& tags);
  void feed(media::Unit& unit);  // video, audio or a chapter mark
  void finish();                 // flush, chapters, trailers; always call, also after errors
  int status() const;            // 1 when an output failed for good, else 0
  // Consent withdrawn: stops the network outputs now, or every output with `recording`.
  // Returns false when no output is left to feed.
  bool stop_outputs(bool recording);
  nlohmann::json stats() const;

 private:
  void on_video(media::Unit& unit);
  void on_audio(media::Unit& unit);
  void on_mark(const media::Unit& unit);
  void dispatch(const SharedPacket& p);
  Size choose_size() const;

  Plan plan_;
  media::Reader& reader_;
  const media::StreamInfo& info_;
  std::optional<VideoEncoder> video_;
  std::optional<AudioEncoder> audio_;
  std::vector<std::unique_ptr<Output>> outputs_;
  std::vector<bool> stopped_;  // by output: consent withdrawn
  ChapterList chapters_;
  // Drawn only when reading a file: in a pipeline the source draws it (surg-capture).
  cli::Progress progress_;
  PacketSink sink_;
  std::int64_t frames_in_ = 0, marks_ = 0, encoded_bytes_ = 0;
  std::int64_t first_pts_ = AV_NOPTS_VALUE, end_pts_ = 0;
};

}  // namespace surg::push
