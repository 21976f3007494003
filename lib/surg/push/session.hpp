#pragma once
// One run of surg-push: the encoders and the outputs behind them. The tool feeds it the
// units it reads; finish() flushes the encoders and finishes every output.
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "surg/cli/progress.hpp"
#include "surg/media/stream.hpp"
#include "surg/push/chapters.hpp"
#include "surg/push/encoder.hpp"
#include "surg/push/limits.hpp"
#include "surg/push/output.hpp"
#include "surg/push/plan.hpp"

namespace surg::push {

class Session {
 public:
  // Opens the encoders and every output (files now: an unwritable one fails here).
  // Throws UsageError when the input breaks the preset's rules.
  // `tags`: the session tags to write (the input's, with the consent's added by the gate).
  // `events`: --events (output states, drops, progress once a second; see surg-push(1)).
  // `max_duration`: end the push cleanly after this much media (0: no limit).
  Session(const Plan& plan, media::Reader& reader, const media::Tags& tags, events::Emitter events = {},
          Micros max_duration = Micros(0));
  void feed(media::Unit& unit);  // video, audio or a chapter mark
  bool limit_reached() const;    // --max-duration reached: stop reading, then finish()
  void finish();                 // flush, chapters, trailers; always call, also after errors
  int status() const;            // 1 when an output failed for good, else 0
  // Consent withdrawn: stops the network outputs now, or every output with `recording`.
  // Returns false when no output is left to feed.
  bool stop_outputs(bool recording);
  // A `consent` event (surg-push(1), EVENTS): the consent admitted, or its withdrawal.
  void note_consent(nlohmann::json data) { events_->consent(std::move(data)); }
  nlohmann::json stats() const;

 private:
  void on_video(media::Unit& unit);
  void on_audio(media::Unit& unit);
  void on_mark(const media::Unit& unit);
  void dispatch(const SharedPacket& p);
  Size choose_size() const;
  Micros media_time() const;
  void tick();           // once a second: stalls, drops, limits, progress
  void check_outputs();  // reports an output that failed since the last look
  void emit_progress(double interval_s);
  void warn_limits();
  void finish_output(std::size_t i, const char* state);
  void file_event(const Output& output, const char* state, nlohmann::json extra = nlohmann::json::object());

  std::shared_ptr<PushEvents> events_;  // before outputs_: they hold it
  Plan plan_;
  media::Reader& reader_;
  const media::StreamInfo& info_;
  std::optional<VideoEncoder> video_;
  std::optional<AudioEncoder> audio_;
  std::vector<std::unique_ptr<Output>> outputs_;
  std::vector<bool> stopped_;                            // by output: consent withdrawn
  std::vector<bool> reported_;                           // by output: its failure was reported
  std::vector<std::unique_ptr<MarksSidecar>> sidecars_;  // by output: recordings with chapters
  std::vector<nlohmann::json> last_stats_;               // by output, at the last tick
  ChapterList chapters_;
  DurationLimits limits_;
  std::chrono::steady_clock::time_point last_tick_ = std::chrono::steady_clock::now();
  // Drawn only when reading a file: in a pipeline the source draws it (surg-capture).
  cli::Progress progress_;
  PacketSink sink_;
  std::int64_t frames_in_ = 0, marks_ = 0, encoded_bytes_ = 0;
  std::int64_t first_pts_ = AV_NOPTS_VALUE, end_pts_ = 0;
};

}  // namespace surg::push
