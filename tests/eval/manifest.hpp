#pragma once
// The labelled faces of the evaluations: face_truth.py writes one line a face (or "-" for a
// photo without one), "SET<TAB>IMAGE<TAB>x y w h"; face_recall.cpp and face_entry.cpp read it
// and score faces by size in the same four buckets. OpenCV and the standard library only.
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace surg::eval {

struct LabelledImage {
  std::string set, path;
  std::vector<cv::Rect2f> faces;
};

// The images in the manifest's order, each with its faces (none for a "-" line).
inline std::vector<LabelledImage> read_manifest(const std::string& file) {
  std::ifstream in(file);
  std::map<std::string, std::size_t> index;
  std::vector<LabelledImage> images;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string set, path, rest;
    std::getline(fields, set, '\t');
    std::getline(fields, path, '\t');
    std::getline(fields, rest);
    auto [it, fresh] = index.emplace(path, images.size());
    if (fresh) images.push_back({set, path, {}});
    float x, y, w, h;
    if (std::istringstream(rest) >> x >> y >> w >> h) images[it->second].faces.emplace_back(x, y, w, h);
  }
  return images;
}

// Face size buckets by the side of the box's square: <16, 16-32, 32-64, >=64 px.
inline constexpr const char* kSizeBuckets[] = {"<16", "16-32", "32-64", ">=64"};
inline int size_bucket(double width, double height) {
  const double side = std::sqrt(width * height);
  return side < 16 ? 0 : side < 32 ? 1 : side < 64 ? 2 : 3;
}

}  // namespace surg::eval
