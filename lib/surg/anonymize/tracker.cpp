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

// `box` and the strip between it and the frame edge nearest it, when a face entering at
// kEntrySpeed could have crossed that strip in `dt` seconds (tracker.hpp); else `box`.
cv::Rect2f entry_path(const cv::Rect2f& box, double dt, cv::Size frame) {
  const auto w = static_cast<float>(frame.width), h = static_cast<float>(frame.height);
  const float left = box.x, right = w - (box.x + box.width), top = box.y, bottom = h - (box.y + box.height);
  const float nearest = std::min({left, right, top, bottom});
  if (nearest > kEntrySpeed * h * static_cast<float>(dt)) return box;
  if (nearest == left) return box | cv::Rect2f(0, box.y, 1, box.height);
  if (nearest == right) return box | cv::Rect2f(w - 1, box.y, 1, box.height);
  if (nearest == top) return box | cv::Rect2f(box.x, 0, box.width, 1);
  return box | cv::Rect2f(box.x, h - 1, box.width, 1);
}

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
  // A track is still needed by a frame up to `lookahead` older than t.
  std::erase_if(tracks_, [&](const Track& tr) { return t - tr.seen() > hold_ + lookahead_; });
  std::vector<bool> taken(tracks_.size(), false);
  for (const auto& d : detections) match(t, d, taken);
  last_update_ = t;
}

void FaceTracker::match(Micros t, const detect::Box& d, std::vector<bool>& taken) {
  int best = -1;
  float best_iou = kMatchIou;
  for (std::size_t i = 0; i < taken.size(); ++i) {
    if (taken[i]) continue;
    const float o =
        std::max(iou(predict(tracks_[i].recent.back(), t), d.rect), iou(tracks_[i].box(), d.rect));
    if (o > best_iou) best_iou = o, best = static_cast<int>(i);
  }
  if (best < 0) {
    tracks_.push_back({{{t, d.rect, {0, 0}, d.score}}});
    return;
  }
  Track& tr = tracks_[static_cast<std::size_t>(best)];
  taken[static_cast<std::size_t>(best)] = true;
  const double dt = seconds(t - tr.seen());
  cv::Point2f velocity = tr.recent.back().velocity;
  if (dt > 0) {
    const cv::Point2f move = centre(d.rect) - centre(tr.box());
    velocity = {static_cast<float>(move.x / dt), static_cast<float>(move.y / dt)};
  }
  const Micros keep = memory_ + hold_ + lookahead_;
  std::erase_if(tr.recent, [&](const Sighting& s) { return t - s.t > keep; });
  tr.recent.push_back({t, d.rect, velocity, d.score});
}

cv::Rect2f FaceTracker::predict(const Sighting& s, Micros t) {
  const cv::Rect2f& box = s.box;
  const double dt = std::max(0.0, seconds(t - s.t));
  cv::Point2f move(static_cast<float>(s.velocity.x * dt), static_cast<float>(s.velocity.y * dt));
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

// Where a face first seen (in this track) at recent[first] after t was at t: drawn back along
// the velocity of its next sighting when there is one, and along its way in from the nearest
// edge when that is within reach, the area between grown with the time back; the padding is
// added by the caller.
cv::Rect2f FaceTracker::back_area(const Track& tr, std::size_t first, Micros t, cv::Size frame) const {
  const Sighting& a = tr.recent[first];
  const double dt = seconds(a.t - t);
  cv::Point2f move(0, 0);
  if (first + 1 < tr.recent.size()) {
    const cv::Point2f v = tr.recent[first + 1].velocity;
    move = {static_cast<float>(-v.x * dt), static_cast<float>(-v.y * dt)};
    const float cap = kMaxBackMove * std::max(a.box.width, a.box.height);
    const float len = std::hypot(move.x, move.y);
    if (len > cap) move *= cap / len;
  }
  const cv::Rect2f moved(a.box.x + move.x, a.box.y + move.y, a.box.width, a.box.height);
  const float g = std::min(kMaxBackGrowth, kBackGrowthPerSecond * static_cast<float>(dt));
  const cv::Rect2f area = a.box | moved | entry_path(a.box, dt, frame);
  return {area.x - g * a.box.width, area.y - g * a.box.height, area.width + 2 * g * a.box.width,
          area.height + 2 * g * a.box.height};
}

std::optional<Covered> FaceTracker::cover(const Track& tr, Micros t, cv::Size frame) const {
  const auto after_it = std::upper_bound(tr.recent.begin(), tr.recent.end(), t,
                                         [](Micros v, const Sighting& s) { return v < s.t; });
  const Sighting* before = after_it == tr.recent.begin() ? nullptr : &*(after_it - 1);
  const Sighting* after = after_it == tr.recent.end() ? nullptr : &*after_it;
  const bool forward = before && t - before->t <= hold_;
  const bool backward = after && after->t - t <= lookahead_;
  if (!forward && !backward) return std::nullopt;
  cv::Rect2f area;
  cv::Size2f growth(0, 0);
  if (forward) {
    const bool fresh = before->t == t;
    area = fresh ? before->box : (before->box | predict(*before, t));
    for (const auto& s : tr.recent) {
      if (s.t <= t && t - s.t <= memory_) area |= s.box;
    }
    const float g = std::min(kMaxGrowth, kGrowthPerSecond * static_cast<float>(seconds(t - before->t)));
    growth = {g * before->box.width, g * before->box.height};
  }
  if (backward) {
    // Seen before and after: the straight path between the two sightings is their union.
    const cv::Rect2f back =
        before ? (before->box | after->box)
               : back_area(tr, static_cast<std::size_t>(after_it - tr.recent.begin()), t, frame);
    area = forward ? (area | back) : back;
  }
  const Sighting& near = forward ? *before : *after;
  const cv::Rect r = pad_box(area, growth, frame);
  if (r.empty()) return std::nullopt;
  const Micros age = forward ? t - before->t : after->t - t;
  return Covered{r, near.score, age != Micros(0), age};
}

std::vector<Covered> FaceTracker::covered(Micros t, cv::Size frame) const {
  std::vector<Covered> out;
  for (const auto& tr : tracks_) {
    if (auto c = cover(tr, t, frame)) out.push_back(*c);
  }
  return out;
}

}  // namespace surg::anonymize
