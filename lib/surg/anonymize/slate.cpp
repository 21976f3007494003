#include "surg/anonymize/slate.hpp"

#include <algorithm>

#include <opencv2/imgproc.hpp>

namespace surg::anonymize {

void Slate::render(const Planes& like) {
  for (int i = 0; i < 3; ++i) {
    const auto& p = like.plane[i];
    card_[i] = cv::Mat(p.rows, p.cols, CV_8UC1, cv::Scalar(i == 0 ? kBackground : 128));
  }
  cv::Mat& luma = card_[0];
  const int font = cv::FONT_HERSHEY_SIMPLEX;
  double scale = luma.rows / 480.0;
  const int thickness = std::max(1, luma.rows / 240);
  int baseline = 0;
  cv::Size size = cv::getTextSize(text_, font, scale, thickness, &baseline);
  if (size.width > luma.cols * 0.9 && size.width > 0) {  // long text: shrink to fit
    scale *= luma.cols * 0.9 / size.width;
    size = cv::getTextSize(text_, font, scale, thickness, &baseline);
  }
  const cv::Point origin((luma.cols - size.width) / 2, (luma.rows + size.height) / 2);
  cv::putText(luma, text_, origin, font, scale, cv::Scalar(kText), thickness, cv::LINE_AA);
}

void Slate::apply(Planes& planes) {
  if (card_[0].size() != planes.plane[0].size() || card_[1].size() != planes.plane[1].size()) render(planes);
  for (int i = 0; i < 3; ++i) card_[i].copyTo(planes.plane[i]);
}

}  // namespace surg::anonymize
