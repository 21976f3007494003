#include "surg/anonymize/tracker.hpp"

#include <algorithm>
#include <cmath>

namespace surg::anonymize {
namespace {

float iou(const cv::Rect2f& a, const cv::Rect2f& b) {
  const float inter = (a & b).area();
  const float uni = a.area() + b.area() - inter;
  return uni > 0 ? inter / uni : 0.0f;
}

cv::Point2f centre(const cv::Rect2f& r) { return {r.x + r.width / 2, r.y + r.height / 2}; }

double seconds(Micros d) { return static_cast<double>(d.count()) / 1e6; }

}  // namespace

std::vector<Covered> merge_overlapping(std::vector<Covered> boxes) {
  for (bool merged = true; merged;) {
    merged = false;
    for (std::size_t i = 0; i < boxes.size() && !merged; ++i) {
      for (std::size_t j = i + 1; j < boxes.size() && !merged; ++j) {
        Covered& a = boxes[i];
        const Covered& b = boxes[j];
        if ((a.rect & b.rect).area() * 2 < std::min(a.rect.area(), b.rect.area())) continue;
        a = {a.rect | b.rect, std::min(a.score, b.score), a.held || b.held, std::max(a.age, b.age)};
        boxes.erase(boxes.begin() + static_cast<std::ptrdiff_t>(j));
        merged = true;
      }
    }
  }
  return boxes;
}

FaceTracker::FaceTracker(Micros hold, float pad, Micros memory) : hold_(hold), memory_(memory), pad_(pad) {}

void FaceTracker::update(Micros t, const std::vector<detect::Box>& detections) {
  std::erase_if(tracks_, [&](const Track& tr) { return t - tr.seen() > hold_; });
  std::vector<bool> taken(tracks_.size(), false);
  for (const auto& d : detections) match(t, d, taken);
  last_update_ = t;
}

void FaceTracker::match(Micros t, const detect::Box& d, std::vector<bool>& taken) {
  int best = -1;
  float best_iou = kMatchIou;
  for (std::size_t i = 0; i < taken.size(); ++i) {
    if (taken[i]) continue;
    const float o = std::max(iou(predict(tracks_[i], t), d.rect), iou(tracks_[i].box(), d.rect));
    if (o > best_iou) best_iou = o, best = static_cast<int>(i);
  }
  if (best < 0) {
    tracks_.push_back({{{t, d.rect}}, {0, 0}, d.score});
    return;
  }
  Track& tr = tracks_[static_cast<std::size_t>(best)];
  taken[static_cast<std::size_t>(best)] = true;
  const double dt = seconds(t - tr.seen());
  if (dt > 0) {
    const cv::Point2f move = centre(d.rect) - centre(tr.box());
    tr.velocity = {static_cast<float>(move.x / dt), static_cast<float>(move.y / dt)};
  }
  tr.score = d.score;
  std::erase_if(tr.recent, [&](const Sighting& s) { return t - s.t > memory_; });
  tr.recent.push_back({t, d.rect});
}

cv::Rect2f FaceTracker::predict(const Track& tr, Micros t) const {
  const cv::Rect2f& box = tr.box();
  const double dt = std::max(0.0, seconds(t - tr.seen()));
  cv::Point2f move(static_cast<float>(tr.velocity.x * dt), static_cast<float>(tr.velocity.y * dt));
  const float cap = std::max(box.width, box.height);
  const float len = std::hypot(move.x, move.y);
  if (len > cap) move *= cap / len;
  return {box.x + move.x, box.y + move.y, box.width, box.height};
}

// `extra`: pixels added on each side on top of the padding.
cv::Rect FaceTracker::pad_box(const cv::Rect2f& b, cv::Size2f extra, cv::Size frame) const {
  const float px = pad_ * b.width + extra.width, py = pad_ * b.height + extra.height;
  const float x0 = std::floor(b.x - px), y0 = std::floor(b.y - py);
  const float x1 = std::ceil(b.x + b.width + px);
  const float y1 = std::ceil(b.y + b.height + py);
  const cv::Rect r(static_cast<int>(x0), static_cast<int>(y0), static_cast<int>(x1 - x0),
                   static_cast<int>(y1 - y0));
  return r & cv::Rect(0, 0, frame.width, frame.height);
}

std::vector<Covered> FaceTracker::covered(Micros t, cv::Size frame) const {
  std::vector<Covered> out;
  for (const auto& tr : tracks_) {
    if (t - tr.seen() > hold_) continue;
    const bool fresh = tr.seen() == t;
    cv::Rect2f area = fresh ? tr.box() : (tr.box() | predict(tr, t));
    for (const auto& s : tr.recent) {
      if (t - s.t <= memory_) area |= s.box;
    }
    const float growth = std::min(kMaxGrowth, kGrowthPerSecond * static_cast<float>(seconds(t - tr.seen())));
    const cv::Rect r = pad_box(area, {growth * tr.box().width, growth * tr.box().height}, frame);
    if (!r.empty()) out.push_back({r, tr.score, !fresh, t - tr.seen()});
  }
  return out;
}

}  // namespace surg::anonymize
