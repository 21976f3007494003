#include "surg/anonymize/zones.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include <toml++/toml.h>
#include <opencv2/imgproc.hpp>

#include "surg/core/error.hpp"
#include "surg/core/toml_guard.hpp"

namespace surg::anonymize {
namespace {

std::string where(const std::string& origin, const toml::node& node) {
  return origin + ":" + std::to_string(node.source().begin.line);
}

double number(const toml::table& t, const char* key, const std::string& at) {
  const auto* node = t.get(key);
  if (!node) throw UsageError(at + ": zone lacks '" + key + "'");
  const auto v = node->value<double>();
  if (!v || *v < 0.0 || *v > 1.0)
    throw UsageError(where(at.substr(0, at.rfind(':')), *node) + ": '" + key + "' must be a number in 0..1");
  return *v;
}

Zone parse_zone(const toml::table& t, const std::string& origin) {
  const std::string at = where(origin, t);
  for (const auto& [key, node] : t) {
    const std::string k(key.str());
    if (k != "name" && k != "x" && k != "y" && k != "w" && k != "h")
      throw UsageError(where(origin, node) + ": unknown key '" + k + "' in a zone");
  }
  Zone z;
  z.name = t["name"].value_or(std::string("zone"));
  z.rect = {number(t, "x", at), number(t, "y", at), number(t, "w", at), number(t, "h", at)};
  constexpr double kSlack = 1e-9;
  if (z.rect.width <= 0 || z.rect.height <= 0 || z.rect.x + z.rect.width > 1 + kSlack ||
      z.rect.y + z.rect.height > 1 + kSlack)
    throw UsageError(at + ": zone '" + z.name + "' must have w, h > 0 and stay inside 0..1");
  return z;
}

}  // namespace

std::vector<Zone> parse_zones(const std::string& text, const std::string& origin) {
  toml::table root;
  try {
    root = toml::parse(guard_toml(text, origin), origin);  // core/toml_guard.hpp
  } catch (const toml::parse_error& e) {
    throw UsageError(origin + ":" + std::to_string(e.source().begin.line) + ": " +
                     std::string(e.description()));
  }
  for (const auto& [key, node] : root) {
    if (key.str() != "zone")
      throw UsageError(where(origin, node) + ": unknown key '" + std::string(key.str()) + "'");
  }
  const auto* list = root["zone"].as_array();
  if (!list) throw UsageError(origin + ": no [[zone]] tables");
  std::vector<Zone> zones;
  for (const auto& node : *list) {
    const auto* t = node.as_table();
    if (!t) throw UsageError(where(origin, node) + ": 'zone' must be [[zone]] tables");
    zones.push_back(parse_zone(*t, origin));
  }
  return zones;
}

std::vector<Zone> load_zones(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UsageError("--zones: cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return parse_zones(text.str(), path);
}

cv::Rect zone_pixels(const Zone& z, cv::Size f) {
  const int x0 = static_cast<int>(std::floor(z.rect.x * f.width));
  const int y0 = static_cast<int>(std::floor(z.rect.y * f.height));
  const int x1 = static_cast<int>(std::ceil((z.rect.x + z.rect.width) * f.width));
  const int y1 = static_cast<int>(std::ceil((z.rect.y + z.rect.height) * f.height));
  return cv::Rect(x0, y0, x1 - x0, y1 - y0) & cv::Rect(0, 0, f.width, f.height);
}

Circle CircleFinder::fixed(cv::Size f) {
  return {{f.width / 2.0f, f.height / 2.0f}, std::min(f.width, f.height) / 2.0f};
}

std::optional<Circle> CircleFinder::find(const cv::Mat& luma) {
  constexpr int kScale = 8;
  cv::Mat small, bright, labels, stats, centroids;
  cv::resize(luma, small, cv::Size(std::max(1, luma.cols / kScale), std::max(1, luma.rows / kScale)), 0, 0,
             cv::INTER_AREA);
  cv::threshold(small, bright, kDarkLevel, 255, cv::THRESH_BINARY);
  const int n = cv::connectedComponentsWithStats(bright, labels, stats, centroids, 8, CV_32S);
  int best = 0, best_area = 0;
  for (int i = 1; i < n; ++i) {
    const int area = stats.at<int>(i, cv::CC_STAT_AREA);
    if (area > best_area) best_area = area, best = i;
  }
  const double fraction = static_cast<double>(best_area) / small.total();
  if (best == 0 || fraction < 0.15 || cv::countNonZero(bright) > 0.97 * small.total()) return std::nullopt;
  std::vector<cv::Point> points, hull;
  cv::findNonZero(labels == best, points);
  cv::convexHull(points, hull);
  cv::Point2f c;
  float r = 0;
  cv::minEnclosingCircle(hull, c, r);
  const float sx = static_cast<float>(luma.cols) / small.cols,
              sy = static_cast<float>(luma.rows) / small.rows;
  // Sample centres to luma pixels; half a small pixel of margin so the image edge is kept.
  return Circle{{(c.x + 0.5f) * sx, (c.y + 0.5f) * sy}, (r + 0.5f) * std::max(sx, sy)};
}

const Circle& CircleFinder::update(const cv::Mat& luma, std::int64_t frame_index) {
  if (!found_ || frame_index % kEvery == 0) {
    const auto c = find(luma);
    if (c)
      circle_ = *c;
    else if (!found_)
      circle_ = fixed(luma.size());
    found_ = found_ || c.has_value();
  }
  return circle_;
}

}  // namespace surg::anonymize
