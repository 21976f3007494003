#include "surg/capture/pattern.hpp"

#include <array>
#include <cmath>
#include <cstring>

#include "surg/capture/timecode.hpp"
#include "surg/media/mat_view.hpp"

namespace surg::capture {
namespace {

constexpr std::uint8_t kFlash = 235;
// The flash inside the field of view: bright, saturated pink-red, like tissue under a
// flash of light (a pale pink reads as grey to surg-anonymize's out-of-body check).
constexpr std::uint8_t kFieldFlashY = 215, kFlashU = 100, kFlashV = 190;
constexpr int kPeriod = kSampleRate / kToneHz;  // 48 samples: the tone is a table lookup

Size scroll_margin(Size s) { return {(s.width / 4) & ~1, (s.height / 4) & ~1}; }

// Slow drift of the view over the tissue, as a hand-held scope wanders: even offsets.
cv::Point scroll_offset(Size margin, double t) {
  const double x = 0.5 * (1 + std::sin(2 * CV_PI * t / 11.0));
  const double y = 0.5 * (1 + std::sin(2 * CV_PI * t / 7.0 + 1.0));
  return {static_cast<int>(x * margin.width) & ~1, static_cast<int>(y * margin.height) & ~1};
}

// One period of the tone (sine) and of the beep (cosine: it starts at its peak).
struct Waves {
  std::array<std::int16_t, kPeriod> tone{}, beep{};
  Waves() {
    for (std::size_t i = 0; i < kPeriod; ++i) {
      const double a = 2 * M_PI * static_cast<double>(i) / kPeriod;
      tone[i] = static_cast<std::int16_t>(std::lround(kToneLevel * std::sin(a)));
      beep[i] = static_cast<std::int16_t>(std::lround(kBeepLevel * std::cos(a)));
    }
  }
};
const Waves kWaves;

void copy_row(std::uint8_t* dst, const std::uint8_t* src, Span s, int width, std::uint8_t black) {
  std::memset(dst, black, static_cast<std::size_t>(s.begin));
  std::memcpy(dst + s.begin, src + s.begin, static_cast<std::size_t>(s.end - s.begin));
  std::memset(dst + s.end, black, static_cast<std::size_t>(width - s.end));
}

}  // namespace

TestPattern::TestPattern(const PatternConfig& config)
    : config_(config),
      schedule_(config.fps, config.oob_every, config.oob_length),
      field_(config.size),
      tissue_(make_tissue(config.size, scroll_margin(config.size))),
      room_(make_room(config.size)),
      patient_(config.size, field_.left(), patient_lines(config.stamp)),
      counter_(config.size, config.size.width - field_.right()) {}

void TestPattern::render(AVFrame& frame, std::int64_t n, std::int64_t capture_us) const {
  if (schedule_.out_of_body(n)) {
    render_still(frame, room_);
    if (schedule_.flash(n)) fill(frame, kFlash);
  } else {
    render_tissue(frame, n);
    // Inside the field of view only, and tissue-pink: a full white frame would look out of
    // body to surg-anonymize and hold the stream on the privacy slate once a second.
    if (schedule_.flash(n)) flash_field(frame);
  }
  patient_.draw(frame);
  counter_.draw(frame, n);
  draw_timecode(frame, TimeCode{capture_us, static_cast<std::uint32_t>(n)});
  frame.pts = schedule_.pts(n);
}

void TestPattern::render_tissue(AVFrame& frame, std::int64_t n) const {
  const double t = std::chrono::duration<double>(schedule_.time(n)).count();
  const cv::Point off = scroll_offset(scroll_margin(config_.size), t);
  const int w = config_.size.width, h = config_.size.height;
  for (int y = 0; y < h; ++y)
    copy_row(frame.data[0] + y * frame.linesize[0], tissue_.y.ptr(y + off.y) + off.x, field_.row(y), w,
             media::kLumaBlack);
  for (int y = 0; y < h / 2; ++y) {
    const Span luma = field_.row(2 * y);
    const Span s{luma.begin / 2, luma.end / 2};
    copy_row(frame.data[1] + y * frame.linesize[1], tissue_.u.ptr(y + off.y / 2) + off.x / 2, s, w / 2, 128);
    copy_row(frame.data[2] + y * frame.linesize[2], tissue_.v.ptr(y + off.y / 2) + off.x / 2, s, w / 2, 128);
  }
}

void TestPattern::render_still(AVFrame& frame, const Picture& picture) const {
  const cv::Mat* planes[3] = {&picture.y, &picture.u, &picture.v};
  for (int p = 0; p < 3; ++p) {
    const cv::Mat& src = *planes[p];
    for (int y = 0; y < src.rows; ++y)
      std::memcpy(frame.data[p] + y * frame.linesize[p], src.ptr(y), static_cast<std::size_t>(src.cols));
  }
}

void TestPattern::flash_field(AVFrame& frame) const {
  const int h = config_.size.height;
  for (int y = 0; y < h; ++y) {
    const Span s = field_.row(y);
    std::memset(frame.data[0] + y * frame.linesize[0] + s.begin, kFieldFlashY,
                static_cast<std::size_t>(s.end - s.begin));
  }
  for (int y = 0; y < h / 2; ++y) {
    const Span luma = field_.row(2 * y);
    const int begin = luma.begin / 2;
    const auto length = static_cast<std::size_t>((luma.end - luma.begin) / 2);
    std::memset(frame.data[1] + y * frame.linesize[1] + begin, kFlashU, length);
    std::memset(frame.data[2] + y * frame.linesize[2] + begin, kFlashV, length);
  }
}

void TestPattern::fill(AVFrame& frame, std::uint8_t y) const {
  const int w = config_.size.width, h = config_.size.height;
  for (int r = 0; r < h; ++r)
    std::memset(frame.data[0] + r * frame.linesize[0], y, static_cast<std::size_t>(w));
  for (int p = 1; p <= 2; ++p)
    for (int r = 0; r < h / 2; ++r)
      std::memset(frame.data[p] + r * frame.linesize[p], 128, static_cast<std::size_t>(w / 2));
}

void TestPattern::render_audio(std::int16_t* out, std::int64_t first, int count) const {
  const auto& tone = kWaves.tone;
  const auto& beep = kWaves.beep;
  for (int i = 0; i < count; ++i) {
    const std::int64_t s = first + i;
    const auto onset = schedule_.beep_onset(s);
    const std::int16_t v = onset ? beep[static_cast<std::size_t>((s - *onset) % kPeriod)]
                                 : tone[static_cast<std::size_t>(s % kPeriod)];
    out[2 * i] = v;
    out[2 * i + 1] = v;
  }
}

}  // namespace surg::capture
