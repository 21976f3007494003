#include "surg/capture/scene.hpp"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace surg::capture {
namespace {

// Smooth value noise: uniform noise on a coarse grid, upscaled bicubically.
cv::Mat smooth_noise(cv::Size size, int cell, cv::RNG& rng) {
  cv::Mat coarse(size.height / cell + 3, size.width / cell + 3, CV_32F);
  rng.fill(coarse, cv::RNG::UNIFORM, 0.f, 1.f);
  cv::Mat fine;
  cv::resize(coarse, fine, cv::Size(coarse.cols * cell, coarse.rows * cell), 0, 0, cv::INTER_CUBIC);
  return fine(cv::Rect(cell, cell, size.width, size.height)).clone();
}

// Three octaves of noise, normalised to [0, 1]. Made at half size and enlarged: the noise is
// smooth (its finest cells still span several pixels there), and the test pattern's start,
// which every chain waits for, took 0.3 s at 720p and 0.6 s at 1080p made at full size.
cv::Mat tissue_field(cv::Size size, cv::RNG& rng) {
  const cv::Size half(size.width / 2, size.height / 2);
  const int big = std::max(8, half.width / 6);
  cv::Mat field = 0.55 * smooth_noise(half, big, rng) + 0.3 * smooth_noise(half, big / 4, rng) +
                  0.15 * smooth_noise(half, std::max(2, big / 24), rng);
  cv::normalize(field, field, 0, 1, cv::NORM_MINMAX);
  cv::Mat full;
  cv::resize(field, full, size, 0, 0, cv::INTER_LINEAR);
  return full;
}

// Field value f -> pink-red mucosa, darker in the folds.
cv::Mat colourise(const cv::Mat& field) {
  cv::Mat out(field.size(), CV_8UC3);
  for (int y = 0; y < field.rows; ++y) {
    const float* f = field.ptr<float>(y);
    auto* px = out.ptr<cv::Vec3b>(y);
    for (int x = 0; x < field.cols; ++x) {
      px[x] = {cv::saturate_cast<std::uint8_t>(45 + 35 * f[x]),
               cv::saturate_cast<std::uint8_t>(30 + 60 * f[x]),
               cv::saturate_cast<std::uint8_t>(120 + 120 * f[x])};
    }
  }
  return out;
}

void draw_vessels(cv::Mat& img, cv::RNG& rng) {
  const int count = 10 + img.cols / 200;
  for (int v = 0; v < count; ++v) {
    std::vector<cv::Point> path{{rng.uniform(0, img.cols), rng.uniform(0, img.rows)}};
    double angle = rng.uniform(0.0, 2 * CV_PI);
    const int steps = rng.uniform(20, 60);
    for (int s = 0; s < steps; ++s) {
      angle += rng.gaussian(0.35);
      const double len = img.cols / 120.0 + 2;
      path.emplace_back(path.back().x + static_cast<int>(len * std::cos(angle)),
                        path.back().y + static_cast<int>(len * std::sin(angle)));
    }
    const int thickness = rng.uniform(1, 4) * std::max(1, img.cols / 1500);
    cv::polylines(img, path, false, cv::Scalar(40, 25, 95), thickness, cv::LINE_AA);
  }
}

void draw_highlights(cv::Mat& img, cv::RNG& rng) {
  const int count = 20 + img.cols / 100;
  const int unit = std::max(2, img.cols / 400);
  for (int h = 0; h < count; ++h) {
    const cv::Point c(rng.uniform(0, img.cols), rng.uniform(0, img.rows));
    const cv::Size axes(rng.uniform(1, 4) * unit, rng.uniform(1, 3) * unit);
    cv::ellipse(img, c, axes, rng.uniform(0, 180), 0, 360, cv::Scalar(225, 230, 250), cv::FILLED,
                cv::LINE_AA);
  }
}

int even(double v) { return static_cast<int>(std::lround(v)) & ~1; }

}  // namespace

Picture to_picture(const cv::Mat& bgr) {
  cv::Mat i420;
  cv::cvtColor(bgr, i420, cv::COLOR_BGR2YUV_I420);
  const int w = bgr.cols, h = bgr.rows;
  Picture p;
  p.y = i420(cv::Rect(0, 0, w, h)).clone();
  // I420 stores U then V, each (w/2)x(h/2), packed as rows of width w.
  p.u = cv::Mat(h / 2, w / 2, CV_8UC1, i420.ptr(h)).clone();
  p.v = cv::Mat(h / 2, w / 2, CV_8UC1, i420.ptr(h) + (w / 2) * (h / 2)).clone();
  return p;
}

Picture make_tissue(Size frame, Size margin, unsigned seed) {
  cv::RNG rng(seed);
  const cv::Size size((frame.width + margin.width) & ~1, (frame.height + margin.height) & ~1);
  cv::Mat img = colourise(tissue_field(size, rng));
  draw_vessels(img, rng);
  cv::GaussianBlur(img, img, cv::Size(3, 3), 0);
  draw_highlights(img, rng);
  return to_picture(img);
}

Picture make_room(Size frame) {
  const int w = frame.width, h = frame.height;
  cv::Mat img(h, w, CV_8UC3, cv::Scalar(200, 218, 205));                               // pale green wall
  cv::rectangle(img, {0, h * 7 / 10}, {w, h}, cv::Scalar(170, 180, 175), cv::FILLED);  // floor
  cv::rectangle(img, {w / 12, h / 5}, {w / 4, h * 7 / 10}, cv::Scalar(175, 195, 180), cv::FILLED);  // door
  cv::rectangle(img, {w * 3 / 4, h / 3}, {w * 23 / 24, h * 7 / 10}, cv::Scalar(215, 215, 210),
                cv::FILLED);  // cabinet
  const cv::Scalar steel(160, 160, 155);
  cv::rectangle(img, {w / 3, h / 2}, {w * 2 / 3, h * 11 / 20}, steel, cv::FILLED);  // table top
  cv::rectangle(img, {w / 3 + w / 40, h * 11 / 20}, {w / 3 + w / 20, h * 17 / 20}, steel, cv::FILLED);
  cv::rectangle(img, {w * 2 / 3 - w / 20, h * 11 / 20}, {w * 2 / 3 - w / 40, h * 17 / 20}, steel, cv::FILLED);
  cv::rectangle(img, {w * 2 / 5, h * 9 / 20}, {w * 3 / 5, h / 2}, cv::Scalar(190, 150, 110),
                cv::FILLED);  // drape
  cv::line(img, {w / 2, 0}, {w / 2, h / 8}, steel, std::max(2, w / 200));
  cv::ellipse(img, {w / 2, h / 8}, {w / 8, h / 20}, 0, 0, 360, cv::Scalar(245, 250, 250),
              cv::FILLED);  // lamp
  return to_picture(img);
}

FieldOfView::FieldOfView(Size frame) : rows_(static_cast<std::size_t>(frame.height)) {
  const double cx = frame.width / 2.0, cy = frame.height / 2.0, r = 0.46 * frame.height;
  left_ = frame.width;
  for (int y = 0; y < frame.height; ++y) {
    const double dy = y + 0.5 - cy, d = r * r - dy * dy;
    if (d <= 0) continue;
    const double dx = std::sqrt(d);
    Span s{std::max(0, even(cx - dx)), std::min(frame.width & ~1, even(cx + dx))};
    rows_[static_cast<std::size_t>(y)] = s;
    left_ = std::min(left_, s.begin);
    right_ = std::max(right_, s.end);
  }
}

}  // namespace surg::capture
