#include "surg/capture/overlay.hpp"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "surg/media/mat_view.hpp"

namespace surg::capture {
namespace {

constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;

struct TextStyle {
  double scale = 1;
  int thickness = 1;
  int line = 0;    // line height in pixels (even)
  int margin = 0;  // distance from the frame edge (even)
};

// A text size proportional to the frame height (a 24 px line at 720p), shrunk until the
// widest of `lines` fits in `width`.
TextStyle fit_style(Size frame, int width, const std::vector<std::string>& lines) {
  TextStyle s;
  s.margin = std::max(2, frame.height / 40) & ~1;
  s.scale = frame.height / 30.0 / 30.0;
  int widest = 1, baseline = 0;
  for (const auto& l : lines)
    widest = std::max(widest, cv::getTextSize(l, kFont, s.scale, 1, &baseline).width);
  const int room = std::max(8, width - 2 * s.margin);
  if (widest > room) s.scale *= static_cast<double>(room) / widest;
  s.thickness = std::max(1, static_cast<int>(std::lround(s.scale * 1.6)));
  s.line = std::max(2, static_cast<int>(std::lround(30 * s.scale * 1.25)) & ~1);
  return s;
}

cv::Mat render_lines(const std::vector<std::string>& lines, const TextStyle& s, int width) {
  cv::Mat luma((static_cast<int>(lines.size()) * s.line + s.line / 2 + 1) & ~1, width & ~1, CV_8UC1,
               cv::Scalar(media::kLumaBlack));
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const cv::Point origin(s.line / 4, static_cast<int>(i + 1) * s.line);
    cv::putText(luma, lines[i], origin, kFont, s.scale, cv::Scalar(media::kLumaWhite), s.thickness,
                cv::LINE_AA);
  }
  return luma;
}

int text_width(const std::string& text, const TextStyle& s) {
  int baseline = 0;
  return cv::getTextSize(text, kFont, s.scale, s.thickness, &baseline).width + s.line / 2;
}

}  // namespace

void blit(AVFrame& frame, const cv::Mat& luma, cv::Point at) {
  const cv::Rect r(at, luma.size());
  const cv::Rect inside = r & cv::Rect(0, 0, frame.width, frame.height);
  if (inside.empty()) return;
  luma(cv::Rect(0, 0, inside.width, inside.height)).copyTo(media::plane_view(frame, 0)(inside));
  const cv::Rect half(inside.x / 2, inside.y / 2, inside.width / 2, inside.height / 2);
  for (int p = 1; p <= 2; ++p) media::plane_view(frame, p)(half).setTo(128);
}

std::vector<std::string> patient_lines(const std::string& stamp) {
  return {"NAME: DOE, JANE", "ID: 0000000", "DOB: 1970-01-01", stamp, "FAKE - SURG TEST PATTERN"};
}

TextBlock::TextBlock(Size frame, int width, const std::vector<std::string>& lines) {
  const TextStyle s = fit_style(frame, width, lines);
  int widest = 2;
  for (const auto& l : lines) widest = std::max(widest, text_width(l, s));
  luma_ = render_lines(lines, s, std::min(widest + 2, frame.width - s.margin));
  at_ = {s.margin, s.margin};
}

FrameCounter::FrameCounter(Size frame, int width) {
  const std::string sample = "FRAME " + std::string(kDigits, '0');
  const TextStyle s = fit_style(frame, width, {sample});
  label_ = render_lines({"FRAME "}, s, text_width("FRAME ", s) + 2);
  int cell = 2;
  for (char d = '0'; d <= '9'; ++d) cell = std::max(cell, text_width(std::string(1, d), s) - s.line / 2 + 2);
  for (int d = 0; d < 10; ++d) {
    glyphs_[static_cast<std::size_t>(d)] =
        cv::Mat(label_.rows, cell & ~1, CV_8UC1, cv::Scalar(media::kLumaBlack));
    cv::putText(glyphs_[static_cast<std::size_t>(d)], std::string(1, static_cast<char>('0' + d)), {0, s.line},
                kFont, s.scale, cv::Scalar(media::kLumaWhite), s.thickness, cv::LINE_AA);
  }
  const int total = label_.cols + kDigits * glyphs_[0].cols;
  at_ = {std::max(0, frame.width - s.margin - total) & ~1, s.margin};
}

void FrameCounter::draw(AVFrame& frame, std::int64_t number) const {
  blit(frame, label_, at_);
  const int cell = glyphs_[0].cols;
  std::int64_t rest = std::max<std::int64_t>(0, number);
  for (int i = kDigits - 1; i >= 0; --i, rest /= 10)
    blit(frame, glyphs_[static_cast<std::size_t>(rest % 10)], {at_.x + label_.cols + i * cell, at_.y});
}

}  // namespace surg::capture
