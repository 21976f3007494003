#include "surg/anonymize/evidence.hpp"

#include <spdlog/spdlog.h>

namespace surg::anonymize {
namespace {

bool is_failure(SlateReason r) {
  return r == SlateReason::behind || r == SlateReason::unavailable || r == SlateReason::failed ||
         r == SlateReason::late;
}

std::string describe(SlateReason r, const std::string& error) {
  switch (r) {
    case SlateReason::privacy:
      return "privacy requested";
    case SlateReason::behind:
      return "more than --max-lag behind the live stream";
    case SlateReason::unavailable:
      return "no detector available: " + error;
    case SlateReason::failed:
      return "the detector failed: " + error;
    case SlateReason::late:
      return "the detector did not answer before the frame's deadline";
    case SlateReason::out_of_body:
      return "out of body";
    case SlateReason::warmup:
      return "the face detector has not looked at the whole frame yet";
    case SlateReason::none:
      break;
  }
  return "";
}

// Live only: offline there is no stream to be behind (null).
nlohmann::json lag_json(const LagHistogram& lag) {
  if (lag.count() == 0) return nullptr;
  auto ms = [](Micros m) { return m.count() / 1000; };
  return {{"frames", lag.count()},
          {"p50", ms(lag.percentile(0.50))},
          {"p95", ms(lag.percentile(0.95))},
          {"p99", ms(lag.percentile(0.99))},
          {"max", ms(lag.max())}};
}

}  // namespace

nlohmann::json Totals::json() const {
  return {{"frames_in", frames_in},
          {"frames_out", frames_out},
          {"slate_frames", slate},
          {"detections", detections},
          {"frames_with_faces", frames_with_faces},
          {"boxes_covered", boxes_covered},
          {"oob_entries", oob_entries},
          {"audio_packets", audio_packets},
          {"audio_muted", audio_muted},
          {"marks", marks},
          {"max_lag_ms", lag.max().count() / 1000},
          {"lag_ms", lag_json(lag)},
          {"lookahead_frames", lookahead_frames},
          {"added_latency_ms", lookahead.count() / 1000}};
}

Evidence::Evidence(events::Emitter& events, events::TimeBase tb, bool review)
    : events_(events), tb_(tb), review_on_(review) {}

void Evidence::frame(const FrameResult& r, std::int64_t index, std::int64_t pts, Micros t,
                     const AVFrame& out) {
  ++totals_.frames_out;
  totals_.detections += r.detections;
  if (!r.faces.empty()) ++totals_.frames_with_faces;
  totals_.boxes_covered += static_cast<std::int64_t>(r.faces.size());
  if (r.slate != SlateReason::none) ++totals_.slate[reason_name(r.slate)];
  if (r.out_of_body) {
    if (last_oob_ == false && *r.out_of_body) ++totals_.oob_entries;
    last_oob_ = r.out_of_body;
  }
  episode(r.slate, pts, r.error);
  if (events_.enabled()) events_.emit("frame", frame_event(r, index), pts, tb_);
  if (review_on_ && r.slate == SlateReason::none && review_.wants(r.confidence))
    review_.offer(index, t, r.confidence, out);
}

void Evidence::episode(SlateReason reason, std::int64_t pts, const std::string& error) {
  if (reason == current_) {
    ++episode_frames_;
    return;
  }
  if (current_ != SlateReason::none) {
    spdlog::info("privacy slate ({}) ended after {} frames", reason_name(current_), episode_frames_);
    events_.emit("slate", {{"on", false}, {"reason", reason_name(current_)}, {"frames", episode_frames_}},
                 pts, tb_);
  }
  if (reason != SlateReason::none) {
    const std::string what = "frames go out as the privacy slate: " + describe(reason, error);
    if (is_failure(reason))
      spdlog::warn("{}", what);
    else
      spdlog::info("{}", what);
    events_.emit("slate", {{"on", true}, {"reason", reason_name(reason)}}, pts, tb_);
  }
  current_ = reason;
  episode_frames_ = 1;
}

void Evidence::finish() {
  if (current_ != SlateReason::none)
    spdlog::info("privacy slate ({}) still on at the end, {} frames", reason_name(current_), episode_frames_);
}

nlohmann::json Evidence::frame_event(const FrameResult& r, std::int64_t index) const {
  nlohmann::json faces = nlohmann::json::array();
  for (const auto& f : r.faces)
    faces.push_back({{"x", f.rect.x},
                     {"y", f.rect.y},
                     {"w", f.rect.width},
                     {"h", f.rect.height},
                     {"score", f.score},
                     {"held", f.held}});
  nlohmann::json data = {{"frame", index},
                         {"slate", r.slate == SlateReason::none ? nlohmann::json() : reason_name(r.slate)},
                         {"faces", faces},
                         {"detections", r.detections},
                         {"zones", r.zones}};
  if (r.out_of_body) data["out_of_body"] = *r.out_of_body;
  if (r.circle)
    data["circle"] = {{"x", r.circle->centre.x}, {"y", r.circle->centre.y}, {"r", r.circle->radius}};
  return data;
}

}  // namespace surg::anonymize
