#include "surg/anonymize/anonymizer.hpp"

#include <algorithm>
#include <cmath>

#include <spdlog/spdlog.h>

#include "surg/core/error.hpp"
#include "surg/media/av.hpp"

namespace surg::anonymize {

const char* reason_name(SlateReason r) {
  switch (r) {
    case SlateReason::none:
      return "none";
    case SlateReason::privacy:
      return "privacy";
    case SlateReason::behind:
      return "behind";
    case SlateReason::unavailable:
      return "detector-unavailable";
    case SlateReason::failed:
      return "detector-failed";
    case SlateReason::late:
      return "detector-late";
    case SlateReason::warmup:
      return "detector-warmup";
    case SlateReason::out_of_body:
      return "out-of-body";
  }
  return "none";
}

Anonymizer::Anonymizer(const Plan& plan, cv::Size size, double frame_rate,
                       std::unique_ptr<detect::Detector> detector)
    : plan_(plan),
      size_(size),
      fill_(plan.fill),
      slate_(plan.slate_text),
      tracker_(plan.hold, plan.pad),
      oob_(plan.oob_exit) {
  if (!plan.zones.empty()) zones_ = load_zones(plan.zones);
  if (!needs_analysis()) return;
  try {
    analyzers_ = std::make_shared<Analyzers>(plan, size, frame_rate, std::move(detector));
  } catch (const UsageError&) {
    throw;  // an unknown detector name is a usage error, not a runtime condition
  } catch (const std::exception& e) {
    unavailable_ = e.what();
    return;
  }
  // A box found by one part of the tile schedule is looked at again a cycle later: hold it
  // for the cycle on top of --hold (detector.hpp).
  cycle_time_ = Micros(std::llround(1e6 * analyzers_->full_cycle() / frame_rate));
  // Live, the first tile cycle is the warm-up (slate); offline, the first frame gets every
  // tile at once (Analyzers), so nothing is waited for and no frame is lost to the slate.
  if (plan.faces) warmup_left_ = plan.live ? analyzers_->full_cycle() : 1;
  tracker_.set_hold(plan.hold + cycle_time_, cycle_time_);
  image_ = std::make_unique<AnalysisImage>(analyzers_->analysis_size());
  worker_ = std::make_unique<AnalysisWorker>(
      // The worker owns a share of the analysers: a thread left behind by a hung detector
      // keeps them alive.
      [a = analyzers_](const cv::Mat& bgr, std::int64_t i) { return a->analyze(bgr, i); });
}

Anonymizer::~Anonymizer() = default;

std::string Anonymizer::face_detector() const {
  return analyzers_ ? analyzers_->face_detector() : (plan_.faces ? plan_.detector : "none");
}

int Anonymizer::detector_cycle() const { return analyzers_ ? analyzers_->full_cycle() : 0; }

std::vector<std::string> Anonymizer::chain_settings() const {
  std::vector<std::string> s;
  if (plan_.faces) s.push_back("faces");
  if (plan_.oob) s.push_back("oob");
  if (!zones_.empty()) s.push_back("zones");
  if (plan_.mask_outside_circle) s.push_back("circle");
  if (!zones_.empty() || plan_.mask_outside_circle) s.push_back("text");
  if (!plan_.faces) return s;
  s.push_back(method_name(plan_.method));
  // The detector and its model, so that surg-push can refuse unknown ones (detect/pinned.hpp).
  s.push_back("detector=" + face_detector());
  s.push_back("model=" + model_hash());
  return s;
}

FrameResult Anonymizer::process(AVFrame& frame, std::int64_t index, Micros t, Clock::time_point deadline,
                                bool behind) {
  FrameResult result = admit(frame, index, deadline, behind);
  analyse(result, index);
  settle(result, t);
  release(frame, t, result);
  return result;
}

void Anonymizer::set_lookahead(int frames, Micros time) {
  tracker_.set_lookahead(time);
  // With a look-ahead of a whole cycle the first frame waits for the cycle instead, like every
  // other frame: no warm-up slate live, and offline no search of the first frame with every
  // tile, which only made the stage's first frame 0.3 s late (doc/architecture.md, "Start-up").
  if (frames > 0 && analyzers_ && frames + 1 >= analyzers_->full_cycle()) {
    warmup_left_ = 0;
    analyzers_->set_whole_first(false);
  }
}

bool Anonymizer::search_last(Clock::time_point deadline, Micros t) {
  if (!analyzers_ || !plan_.faces || last_image_.empty()) return false;
  if (!worker_->start(last_image_, kSearchWhole)) return false;
  auto outcome = worker_->wait_until(deadline);
  if (outcome.status != AnalysisWorker::Status::done) return false;
  scale_to_frame(outcome.analysis.faces);
  tracker_.update(t, outcome.analysis.faces);
  return true;
}

void Anonymizer::scale_to_frame(std::vector<detect::Box>& boxes) const {
  const cv::Size a = analyzers_->analysis_size();
  const float sx = static_cast<float>(size_.width) / a.width,
              sy = static_cast<float>(size_.height) / a.height;
  for (auto& box : boxes) {
    box.rect = {box.rect.x * sx, box.rect.y * sy, box.rect.width * sx, box.rect.height * sy};
  }
}

FrameResult Anonymizer::admit(AVFrame& frame, std::int64_t index, Clock::time_point deadline, bool behind) {
  FrameResult result;
  if (privacy_)
    result.slate = SlateReason::privacy;
  else if (behind)
    result.slate = SlateReason::behind;
  if (result.slate != SlateReason::none) return result;
  // Known text goes first, so the analysers see the frame as it will leave: no face found in
  // a patient's name, and the out-of-body rule sees the black corners of a masked scope image.
  fill_fixed(frame, index, result);
  if (!needs_analysis()) return result;
  if (!analyzers_) {
    result.slate = SlateReason::unavailable;
    result.error = unavailable_;
    return result;
  }
  result.image = image_->convert(frame);
  result.deadline = deadline;
  return result;
}

void Anonymizer::analyse(FrameResult& result, std::int64_t index) {
  if (result.image.empty()) return;
  if (worker_->start(result.image, index)) return;
  // The worker is still on an older frame that missed its deadline.
  oob_.unknown();
  result.slate = SlateReason::late;
  result.image.release();
}

void Anonymizer::settle(FrameResult& result, Micros t) {
  if (!result.image.empty()) result.slate = take_outcome(result, t);
  result.image.release();  // the frames in the look-ahead need not keep their copies
  if (plan_.oob) result.out_of_body = oob_.out_of_body();
  // Out of body outranks the warm-up: the face search waits for the scope to be inside, and
  // the operator's panel should say why the picture is gone, not that a detector is warming up.
  const bool replaceable = result.slate == SlateReason::none || result.slate == SlateReason::warmup;
  if (replaceable && plan_.oob && oob_.out_of_body()) result.slate = SlateReason::out_of_body;
}

void Anonymizer::release(AVFrame& frame, Micros t, FrameResult& result) {
  if (result.slate != SlateReason::none) {
    media::av_check(av_frame_make_writable(&frame), "av_frame_make_writable");
    Planes planes = planes_of(frame);
    slate_.apply(planes);
    return;
  }
  cover_faces(frame, t, result);
}

SlateReason Anonymizer::take_outcome(FrameResult& result, Micros t) {
  auto outcome = worker_->wait_until(result.deadline);
  if (outcome.status != AnalysisWorker::Status::done) {
    oob_.unknown();
    result.error = outcome.error;
    return outcome.status == AnalysisWorker::Status::late ? SlateReason::late : SlateReason::failed;
  }
  if (plan_.oob) oob_.update(t, outcome.analysis.in_body);
  scale_to_frame(outcome.analysis.faces);
  result.search_seq = outcome.analysis.search_seq;
  result.searched_whole = outcome.analysis.searched_whole;
  if (result.search_seq >= 0) last_image_ = result.image;
  result.detections = static_cast<int>(outcome.analysis.faces.size());
  if (plan_.faces) tracker_.update(t, outcome.analysis.faces);
  // Only frames where the faces were looked for complete the cycle (not out-of-body ones).
  if (warmup_left_ > 0 && outcome.analysis.in_body) --warmup_left_;
  return warmup_left_ > 0 ? SlateReason::warmup : SlateReason::none;
}

void Anonymizer::fill_fixed(AVFrame& frame, std::int64_t index, FrameResult& result) {
  const bool circle = plan_.mask_outside_circle;
  if (zones_.empty() && !circle) return;
  media::av_check(av_frame_make_writable(&frame), "av_frame_make_writable");
  Planes planes = planes_of(frame);
  if (circle) {
    result.circle = circle_.update(planes.plane[0], index);  // before a zone fill darkens it
    fill_outside_circle(planes, *result.circle, fill_);
  }
  for (const auto& z : zones_) fill_rect(planes, zone_pixels(z, size_), fill_);
  result.zones = static_cast<int>(zones_.size());
}

void Anonymizer::cover_faces(AVFrame& frame, Micros t, FrameResult& result) {
  if (!plan_.faces) return;
  result.faces = tracker_.covered(t, size_);
  if (result.faces.empty()) return;
  media::av_check(av_frame_make_writable(&frame), "av_frame_make_writable");
  Planes planes = planes_of(frame);
  for (const auto& f : result.faces) {
    // Held longer than the detector needs to look again: it looked and did not see the face.
    const bool missed = f.held && f.age > cycle_time_;
    result.confidence = std::min(result.confidence, missed ? 0.0f : f.score);
  }
  for (const auto& f : merge_overlapping(result.faces)) {
    switch (plan_.method) {
      case Method::blur:
        blur_rect(planes, f.rect);
        break;
      case Method::pixelate:
        pixelate_rect(planes, f.rect);
        break;
      case Method::fill:
        fill_rect(planes, f.rect, fill_);
        break;
    }
  }
}

}  // namespace surg::anonymize
