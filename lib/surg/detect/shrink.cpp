#include "surg/detect/shrink.hpp"

#include <opencv2/imgproc.hpp>

namespace surg::detect {

namespace {
constexpr double kAveragingFrom = 1.5;  // shrink.hpp
}  // namespace

void shrink_image(const cv::Mat& src, cv::Mat& dst, cv::Size size, std::array<cv::Mat, 2>& halves) {
  cv::Mat rest = src;
  // An odd side would lose its last row or column to the halving and shift the picture.
  auto halvable = [&](const cv::Mat& m) {
    return m.cols > 2 * size.width && m.rows > 2 * size.height && m.cols % 2 == 0 && m.rows % 2 == 0;
  };
  for (int i = 0; halvable(rest); i ^= 1) {
    cv::resize(rest, halves[i], {}, 0.5, 0.5, cv::INTER_AREA);  // the exact 2:1 path
    rest = halves[i];
  }
  // Exactly 2 left takes the 2:1 path again, straight into dst.
  const bool averaging =
      rest.cols >= kAveragingFrom * size.width && rest.rows >= kAveragingFrom * size.height;
  cv::resize(rest, dst, size, 0, 0, averaging ? cv::INTER_AREA : cv::INTER_LINEAR);
}

}  // namespace surg::detect
