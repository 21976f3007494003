#include "surg/push/session.hpp"

#include <spdlog/spdlog.h>

#include "surg/core/error.hpp"
#include "surg/core/signals.hpp"

namespace surg::push {

Session::Session(const Plan& plan, media::Reader& reader, const media::Tags& tags)
    : plan_(plan), reader_(reader), info_(reader.info()), chapters_(info_.video->time_base) {
  if (plan_.settings.preset) check_input(*plan_.settings.preset, info_);
  video_.emplace(*info_.video, choose_size(), plan_.settings);
  if (info_.audio) audio_.emplace(*info_.audio, plan_.settings.audio_bitrate);
  else spdlog::info("input has no audio: outputs are video-only");
  plan_.output.streams = {video_->context(), audio_ ? audio_->context() : nullptr, tags};
  for (const auto& d : plan_.destinations) outputs_.push_back(make_output(d, plan_.output));
  stopped_.assign(outputs_.size(), false);
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
    spdlog::info("scaling {}x{} to {}x{} for --preset {}", in.width, in.height, out.width, out.height, preset->name);
  else if (preset && (in.width < preset->size.width || in.height < preset->size.height))
    spdlog::warn("input {}x{} is smaller than --preset {} ({}x{}); sent as is, never upscaled", in.width,
                 in.height, preset->name, preset->size.width, preset->size.height);
  return out;
}

void Session::dispatch(const SharedPacket& p) {
  encoded_bytes_ += p->data->size;
  for (std::size_t i = 0; i < outputs_.size(); ++i)
    if (!stopped_[i]) outputs_[i]->write(p);
}

void Session::feed(media::Unit& unit) {
  switch (unit.kind) {
    case media::Kind::video: on_video(unit); break;
    case media::Kind::audio: on_audio(unit); break;
    case media::Kind::mark: on_mark(unit); break;
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
  spdlog::info("chapter mark '{}' at {}", unit.label,
               format_duration(media::to_micros(unit.packet->pts, info_.video->time_base)));
}

void Session::finish() {
  progress_.done();
  video_->flush(sink_);
  if (audio_) audio_->flush(sink_);
  for (std::size_t i = 0; i < outputs_.size(); ++i)
    if (!stopped_[i]) outputs_[i]->finish(chapters_);
  if (stop_requested()) spdlog::info("stopped by signal {}; every output finished", stop_signal());
}

bool Session::stop_outputs(bool recording) {
  bool left = false;
  for (std::size_t i = 0; i < outputs_.size(); ++i) {
    if (!stopped_[i] && (recording || plan_.destinations[i].publication())) {
      outputs_[i]->stop(chapters_);
      stopped_[i] = true;
    }
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
  const double duration =
      first_pts_ == AV_NOPTS_VALUE ? 0.0 : media::to_micros(end_pts_ - first_pts_, info_.video->time_base).count() / 1e6;
  return {{"frames_in", frames_in_}, {"frames_encoded", video_->frames()}, {"marks", marks_},
          {"duration_s", duration},  {"bytes_in", reader_.bytes_read()},   {"outputs", outputs}};
}

}  // namespace surg::push
