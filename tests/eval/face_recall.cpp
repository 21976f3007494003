// Library-level face recall harness: runs a registered detector (surg::detect) on every image of
// a face_truth.py manifest and scores its boxes with the metric of the pixel-level gate
// (faces.sh): a labelled face is protected when >= 90% of its box lies inside the union of the
// detector's boxes grown by --pad a side. Faster to iterate on than the tool, and it separates
// detector misses from tool losses. Not built by default; build it with
//   c++ -O2 -std=c++20 -I lib tests/eval/face_recall.cpp <build>/lib/surg/detect/libsurg_detect.a \
//       $(pkg-config --cflags --libs opencv4) -o face_recall
// Usage: face_recall MANIFEST [DETECTOR[+DETECTOR]] [--pad 0.1] [--video] [--threshold 0.3]
//   a+b: the union of both detectors' boxes.
//   --video: union of detect_tiles() over one full cycle instead of detect().
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "manifest.hpp"
#include "surg/detect/detector.hpp"

namespace {

using Image = surg::eval::LabelledImage;
using surg::eval::read_manifest;

struct Tally {
  int found[4] = {}, total[4] = {};
  double filled_bg = 0, bg = 0;
};

void score(const Image& image, const cv::Size size, const std::vector<surg::detect::Box>& boxes, float pad,
           Tally& t) {
  cv::Mat fill(size, CV_8U, cv::Scalar(0)), face(size, CV_8U, cv::Scalar(0));
  for (const auto& b : boxes) {
    const auto& r = b.rect;
    cv::rectangle(fill,
                  cv::Rect2f(r.x - pad * r.width, r.y - pad * r.height, r.width * (1 + 2 * pad),
                             r.height * (1 + 2 * pad)),
                  255, cv::FILLED);
  }
  for (const auto& f : image.faces) {
    const cv::Rect box = cv::Rect(f) & cv::Rect({0, 0}, size);
    if (box.area() == 0) continue;
    face(box).setTo(255);
    const double covered = cv::countNonZero(fill(box)) / static_cast<double>(box.area());
    t.total[surg::eval::size_bucket(f.width, f.height)]++;
    if (covered >= 0.9) t.found[surg::eval::size_bucket(f.width, f.height)]++;
  }
  cv::Mat bg_filled = fill & ~face;
  t.filled_bg += cv::countNonZero(bg_filled);
  t.bg += size.area() - cv::countNonZero(face);
}

std::vector<surg::detect::Box> run(surg::detect::Detector& d, const cv::Mat& img, bool video) {
  if (!video) return d.detect(img);
  std::vector<surg::detect::Box> all;
  const int cycle = d.full_cycle(img.size());
  for (int i = 0; i < cycle; ++i) {
    auto part = d.detect_tiles(img, i);
    all.insert(all.end(), part.begin(), part.end());
  }
  return all;
}

void print(const std::string& name, const Tally& t, double ms) {
  auto ratio = [](int a, int b) { return b ? static_cast<double>(a) / b : 0.0; };
  int f = 0, n = 0;
  for (int i = 0; i < 4; ++i) f += t.found[i], n += t.total[i];
  std::printf(
      "%-10s faces %4d  <16 %.3f (%d)  16-32 %.3f (%d)  32-64 %.3f (%d)  >64 %.3f (%d)  all %.3f  >=32 %.3f  "
      "over %.3f  %.0f ms/img\n",
      name.c_str(), n, ratio(t.found[0], t.total[0]), t.total[0], ratio(t.found[1], t.total[1]), t.total[1],
      ratio(t.found[2], t.total[2]), t.total[2], ratio(t.found[3], t.total[3]), t.total[3], ratio(f, n),
      ratio(t.found[2] + t.found[3], t.total[2] + t.total[3]), t.bg ? t.filled_bg / t.bg : 0.0, ms);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2)
    return std::cerr << "usage: face_recall MANIFEST [DETECTOR] [--pad P] [--video] [--threshold T]\n", 2;
  std::string name = "blazeface";
  float pad = 0.1f;
  bool video = false;
  surg::detect::DetectorConfig config;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--pad")
      pad = std::stof(argv[++i]);
    else if (a == "--video")
      video = true;
    else if (a == "--threshold")
      config.score_threshold = std::stof(argv[++i]);
    else
      name = a;
  }
  // "a+b": the union of two detectors' boxes (e.g. blazeface+yunet).
  std::vector<std::unique_ptr<surg::detect::Detector>> detectors;
  for (std::size_t start = 0; start <= name.size();) {
    const auto plus = std::min(name.find('+', start), name.size());
    detectors.push_back(surg::detect::make_detector(name.substr(start, plus - start), config));
    start = plus + 1;
  }
  std::map<std::string, Tally> sets;
  Tally all;
  double ms = 0;
  const auto images = read_manifest(argv[1]);
  for (const auto& image : images) {
    const cv::Mat img = cv::imread(image.path, cv::IMREAD_COLOR);
    const auto start = std::chrono::steady_clock::now();
    std::vector<surg::detect::Box> boxes;
    for (auto& d : detectors) {
      auto part = run(*d, img, video);
      boxes.insert(boxes.end(), part.begin(), part.end());
    }
    ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    score(image, img.size(), boxes, pad, sets[image.set]);
    score(image, img.size(), boxes, pad, all);
  }
  for (const auto& [set, t] : sets) print(set, t, 0);
  print("all", all, ms / images.size());
}
