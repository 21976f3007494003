#include "surg/push/session.hpp"

#include <spdlog/spdlog.h>

#include "surg/core/error.hpp"
#include "surg/core/signals.hpp"
#include "surg/push/push_events.hpp"

namespace surg::push {

Session::Session(const Plan& plan, media::Reader& reader, const media::Tags& tags, events::Emitter events,
                 Micros max_duration)
    : events_(std::make_shared<PushEvents>(std::move(events))),
      plan_(plan),
      reader_(reader),
      info_(reader.info()),
      chapters_(info_.video->time_base),
      limits_(max_duration, plan.settings.preset) {
  if (plan_.settings.preset) check_input(*plan_.settings.preset, info_);
  video_.emplace(*info_.video, choose_size(), plan_.settings);
  if (info_.audio)
    audio_.emplace(*info_.audio, plan_.settings.audio_bitrate);
  else
    spdlog::info("input has no audio: outputs are video-only");
  plan_.output.streams = {video_->context(), audio_ ? audio_->context() : nullptr, tags};
  plan_.output.events = events_;
  for (const auto& d : plan_.destinations) {
    outputs_.push_back(make_output(d, plan_.output));
    const bool marks = d.kind == DestKind::file && d.chapters();
    sidecars_.push_back(marks ? std::make_unique<MarksSidecar>(d.target) : nullptr);
    if (!d.network()) file_event(*outputs_.back(), state::connected);
  }
  stopped_.assign(outputs_.size(), false);
  reported_.assign(outputs_.size(), false);
  last_stats_.assign(outputs_.size(), nlohmann::json::object());
  if (auto conflict = limits_.conflict()) spdlog::warn("{}", *conflict);
  sink_ = [this](const SharedPacket& p) { dispatch(p); };
  if (!reader.from_pipe()) progress_ = cli::Progress(cli::stderr_is_terminal(), Micros(0));
}

Size Session::choose_size() const {
  const Size in{info_.video->width, info_.video->height};
  const Preset* preset = plan_.settings.preset;
  const Size out = output_size(in, preset);
  if (out != in && !preset)
    spdlog::warn("input {}x{} has an odd size; encoding {}x{}", in.width, in.height, out.width, out.height);
  else if (out != in)
    spdlog::info("scaling {}x{} to {}x{} for --preset {}", in.width, in.height, out.width, out.height,
                 preset->name);
  else if (preset && (in.width < preset->size.width || in.height < preset->size.height))
    spdlog::warn("input {}x{} is smaller than --preset {} ({}x{}); sent as is, never upscaled", in.width,
                 in.height, preset->name, preset->size.width, preset->size.height);
  return out;
}

void Session::file_event(const Output& output, const char* st, nlohmann::json extra) {
  if (!events_->enabled()) return;
  const auto stats = output.stats();
  events_->output(stats.value("url", ""), stats.value("kind", "file"), st, std::move(extra));
}

void Session::dispatch(const SharedPacket& p) {
  encoded_bytes_ += p->data->size;
  for (std::size_t i = 0; i < outputs_.size(); ++i)
    if (!stopped_[i]) outputs_[i]->write(p);
  check_outputs();
}

// A recording that fails (a full disk) is reported at once, while the other outputs go on;
// the exit status says so at the end (status()).
void Session::check_outputs() {
  for (std::size_t i = 0; i < outputs_.size(); ++i) {
    if (reported_[i] || !outputs_[i]->failed()) continue;
    reported_[i] = true;
    if (plan_.destinations[i].network()) continue;  // gave up: the output told it
    const auto stats = outputs_[i]->stats();
    const std::string reason = stats.value("error", std::string("write failed"));
    spdlog::error("recording {} failed; the other outputs go on", stats.value("url", ""));
    file_event(*outputs_[i], state::error, {{"reason", reason}});
  }
}

Micros Session::media_time() const {
  if (first_pts_ == AV_NOPTS_VALUE) return Micros(0);
  return media::to_micros(end_pts_ - first_pts_, info_.video->time_base);
}

bool Session::limit_reached() const { return limits_.reached(media_time()); }

void Session::tick() {
  const auto now = std::chrono::steady_clock::now();
  const double interval = std::chrono::duration<double>(now - last_tick_).count();
  last_tick_ = now;
  for (std::size_t i = 0; i < outputs_.size(); ++i)
    if (!stopped_[i]) outputs_[i]->tick();
  check_outputs();
  warn_limits();
  emit_progress(interval);
}

void Session::warn_limits() {
  for (const auto& n : limits_.due(media_time())) {
    spdlog::warn("{} in {} (at {})", n.what, format_duration(n.remaining), format_duration(n.limit));
    events_->limit(
        {{"limit", n.what}, {"remaining_s", n.remaining.count() / 1e6}, {"at_s", n.limit.count() / 1e6}});
  }
}

namespace {

constexpr std::int64_t kZero = 0;  // json::value() returns its default's type

// An output's --stats state as an events state (surg-push(1), EVENTS).
std::string event_state(const std::string& s, bool file) {
  if (s == "failed") return state::error;
  if (s == "gave_up") return state::gave_up;
  if (s == "stopped") return state::withdrawn;
  if (s == "retrying") return state::reconnecting;
  if (file && s == "open") return state::connected;
  return s;
}

}  // namespace

void Session::emit_progress(double interval_s) {
  if (!events_->enabled()) return;
  nlohmann::json outputs = nlohmann::json::array();
  std::int64_t dropped = 0;
  for (std::size_t i = 0; i < outputs_.size(); ++i) {
    auto st = outputs_[i]->stats();
    auto& last = last_stats_[i];
    const std::string url = st.value("url", ""), kind = st.value("kind", "file");
    const std::int64_t bytes = st.value("bytes", kZero), drops = st.value("dropped_packets", kZero);
    dropped += drops;
    if (drops > last.value("dropped_packets", kZero))
      events_->dropped(url, drops - last.value("dropped_packets", kZero),
                       st.value("dropped_gops", kZero) - last.value("dropped_gops", kZero));
    const double kbps = interval_s > 0 ? (bytes - last.value("bytes", kZero)) * 8 / 1000.0 / interval_s : 0;
    const bool file = !plan_.destinations[i].network();
    outputs.push_back({{"dest", url},
                       {"kind", kind},
                       {"state", event_state(st.value("state", ""), file)},
                       {"kbps", std::lround(std::max(0.0, kbps))},
                       {"bytes", bytes},
                       {"seconds", file ? media_time().count() / 1e6 : st.value("seconds", 0.0)}});
    last = std::move(st);
  }
  events_->progress({{"frames", frames_in_},
                     {"seconds", media_time().count() / 1e6},
                     {"dropped", dropped},
                     {"outputs", std::move(outputs)}});
}

void Session::feed(media::Unit& unit) {
  switch (unit.kind) {
    case media::Kind::video:
      on_video(unit);
      break;
    case media::Kind::audio:
      on_audio(unit);
      break;
    case media::Kind::mark:
      on_mark(unit);
      break;
  }
}

void Session::on_video(media::Unit& unit) {
  AVFrame& f = *unit.frame;
  ++frames_in_;
  if (first_pts_ == AV_NOPTS_VALUE) first_pts_ = f.pts;
  const auto& v = *info_.video;
  end_pts_ = std::max(end_pts_, f.pts + av_rescale_q(1, av_inv_q(v.frame_rate), v.time_base));
  chapters_.set_end(end_pts_);
  video_->encode(f, sink_);
  if (std::chrono::steady_clock::now() - last_tick_ >= std::chrono::seconds(1)) tick();
  if (progress_.enabled()) {  // no per-frame string building when nothing is drawn
    const Micros media_time = media::to_micros(end_pts_ - first_pts_, v.time_base);
    const double kbps = media_time.count() > 0 ? encoded_bytes_ * 8e3 / media_time.count() : 0;
    progress_.update(frames_in_, media_time, "bitrate " + std::to_string(std::lround(kbps)) + " kbit/s");
  }
}

void Session::on_audio(media::Unit& unit) {
  if (!audio_) return;
  media::FramePtr frame = reader_.decode_audio(*unit.packet);
  frame->time_base = info_.audio->time_base;
  audio_->encode(*frame, sink_);
}

void Session::on_mark(const media::Unit& unit) {
  ++marks_;
  chapters_.add_mark(unit.packet->pts, unit.label);
  for (std::size_t i = 0; i < sidecars_.size(); ++i)
    if (sidecars_[i] && !stopped_[i] && !outputs_[i]->failed())
      sidecars_[i]->add(unit.packet->pts, info_.video->time_base, unit.label);
  spdlog::info("chapter mark '{}' at {}", unit.label,
               format_duration(media::to_micros(unit.packet->pts, info_.video->time_base)));
}

void Session::finish() {
  progress_.done();
  video_->flush(sink_);
  if (audio_) audio_->flush(sink_);
  for (std::size_t i = 0; i < outputs_.size(); ++i)
    if (!stopped_[i]) finish_output(i, state::finished);
  check_outputs();
  if (stop_requested()) spdlog::info("stopped by signal {}; every output finished", stop_signal());
}

// Finishes a recording (or the network output's drain): a recording that finished holds its
// chapters, so its marks sidecar goes.
void Session::finish_output(std::size_t i, const char* st) {
  outputs_[i]->finish(chapters_);
  if (plan_.destinations[i].network() || outputs_[i]->failed()) return;
  if (sidecars_[i]) sidecars_[i]->remove();
  file_event(*outputs_[i], st);
}

bool Session::stop_outputs(bool recording) {
  bool left = false;
  for (std::size_t i = 0; i < outputs_.size(); ++i) {
    if (!stopped_[i] && plan_.destinations[i].publication())
      outputs_[i]->stop(chapters_);
    else if (!stopped_[i] && recording)
      finish_output(i, state::withdrawn);
    stopped_[i] = stopped_[i] || recording || plan_.destinations[i].publication();
    left = left || !stopped_[i];
  }
  return left;
}

int Session::status() const {
  for (const auto& o : outputs_)
    if (o->failed()) return static_cast<int>(ExitStatus::runtime);
  return 0;
}

nlohmann::json Session::stats() const {
  nlohmann::json outputs = nlohmann::json::array();
  for (const auto& o : outputs_) outputs.push_back(o->stats());
  const double duration = first_pts_ == AV_NOPTS_VALUE
                              ? 0.0
                              : media::to_micros(end_pts_ - first_pts_, info_.video->time_base).count() / 1e6;
  return {{"frames_in", frames_in_}, {"frames_encoded", video_->frames()}, {"marks", marks_},
          {"duration_s", duration},  {"bytes_in", reader_.bytes_read()},   {"outputs", outputs}};
}

}  // namespace surg::push
