#include "surg/detect/oob_model.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include "surg/core/error.hpp"

namespace surg::detect {
namespace {

constexpr int kW = OobFeatureExtractor::kWidth, kH = OobFeatureExtractor::kHeight;
constexpr int kBlack = 25, kContent = 40;  // HSV value: black sensor area; anything seen
constexpr int kHueBins = 12;               // of OpenCV's 0..180 hue, 15 units each

bool in_ring(int x, int y) { return x < kW / 8 || x >= kW - kW / 8 || y < kH / 8 || y >= kH - kH / 8; }
bool in_corner(int x, int y) { return (x < kW / 8 || x >= kW - kW / 8) && (y < kH / 8 || y >= kH - kH / 8); }
// The central field: half the width and height, seen in circular and frame-filling views alike.
bool in_centre(int x, int y) { return x >= kW / 4 && x < kW - kW / 4 && y >= kH / 4 && y < kH - kH / 4; }
int bin4(int v, int a, int b, int c) { return v < a ? 0 : v < b ? 1 : v < c ? 2 : 3; }

// Running sums of one pass over the small image.
struct Sums {
  double corners = 0, corner_black = 0, ring = 0, ring_black = 0, ring_v = 0;
  double centre = 0, centre_black = 0, centre_v = 0;
  double content = 0, warm = 0, cool = 0, grey = 0, specular = 0, red_dominant = 0, blue_dominant = 0;
  double a = 0, a2 = 0, b = 0, b2 = 0, v = 0, v2 = 0, s = 0, rg = 0;
  double rg2 = 0, yb = 0, yb2 = 0, rgo = 0;  // Hasler-Suesstrunk colourfulness
  double hue_x = 0, hue_y = 0, hue_n = 0;
  double grad = 0, edges = 0, strong = 0, luma = 0;
  std::array<double, kHueBins> hue{};
  std::array<double, 4> sat{}, val{};
  std::array<double, 5> lab_hue{};
};

// Lab hue angle bins of chromatic pixels: tissue and blood sit near the a* axis (~20-40
// degrees), skin and fat further toward yellow (~45-65), gowns and drapes below 0 or past 90.
int lab_hue_bin(double da, double db) {
  const double deg = std::atan2(db, da) * (180 / CV_PI);
  return deg < 0 ? 4 : deg < 25 ? 0 : deg < 42 ? 1 : deg < 60 ? 2 : deg < 90 ? 3 : 4;
}

void add_pixel(Sums& m, int x, int y, const cv::Vec3b& bgr, const cv::Vec3b& hsv, const cv::Vec3b& lab,
               float grad) {
  const int h = hsv[0], s = hsv[1], v = hsv[2];
  const int bl = bgr[0], g = bgr[1], r = bgr[2];
  if (in_corner(x, y)) m.corners++, m.corner_black += v < kBlack;
  if (in_ring(x, y)) m.ring++, m.ring_black += v < kBlack, m.ring_v += v;
  const bool centre = in_centre(x, y);
  if (centre) {
    m.centre++, m.centre_black += v < kBlack, m.centre_v += v;
    m.val[static_cast<std::size_t>(bin4(v, kContent, 100, 170))]++;
  }
  if (v < kContent) return;
  m.content++;
  m.warm += (h <= 25 || h >= 160) && s >= 50;
  m.cool += h >= 35 && h <= 130 && s >= 40;
  m.grey += s < 40;
  m.specular += v > 220 && s < 50;
  m.red_dominant += r > 1.15 * g && r > bl;
  m.blue_dominant += bl > r;
  const double da = lab[1] - 128.0, db = lab[2] - 128.0;
  m.a += da, m.a2 += da * da, m.b += db, m.b2 += db * db;
  if (std::hypot(da, db) >= 8) m.lab_hue[static_cast<std::size_t>(lab_hue_bin(da, db))]++;
  m.v += v, m.v2 += static_cast<double>(v) * v, m.s += s;
  m.rg += (r - g) / (r + g + bl + 1.0);
  const double rgo = r - g, ybo = 0.5 * (r + g) - bl;
  m.rgo += rgo, m.rg2 += rgo * rgo, m.yb += ybo, m.yb2 += ybo * ybo;
  const double luma = (r + g + bl) / 3.0;
  m.luma += luma, m.grad += grad, m.edges += grad > 24, m.strong += grad > 64;
  if (s >= 40) {
    const double angle = h * (CV_PI / 90.0);
    m.hue_x += s * std::cos(angle), m.hue_y += s * std::sin(angle), m.hue_n += s;
    if (centre) m.hue[static_cast<std::size_t>(std::min(h / 15, kHueBins - 1))]++;
  }
  if (centre) m.sat[static_cast<std::size_t>(bin4(s, 40, 100, 170))]++;
}

double stddev(double sum, double sum2, double n) {
  return std::sqrt(std::max(0.0, sum2 / n - (sum / n) * (sum / n)));
}

OobFeatures finish(const Sums& m) {
  const double c = std::max(m.content, 1.0), ce = std::max(m.centre, 1.0);
  const double colourful = stddev(m.rgo, m.rg2, c) + stddev(m.yb, m.yb2, c);
  OobFeatures f{};
  std::size_t i = 0;
  for (double x : {m.corner_black / m.corners,
                   m.ring_black / m.ring,
                   m.content / (kW * kH),
                   m.centre_black / ce,
                   m.warm / c,
                   m.a / c,
                   m.b / c,
                   stddev(m.a, m.a2, c),
                   stddev(m.b, m.b2, c),
                   m.cool / c,
                   m.grey / c,
                   m.specular / c,
                   m.v / c / 255,
                   stddev(m.v, m.v2, c) / 255,
                   m.s / c / 255,
                   m.red_dominant / c,
                   m.rg / c,
                   (m.centre_v / ce + 1) / (m.ring_v / std::max(m.ring, 1.0) + 1),
                   m.grad / (m.luma + c),
                   m.edges / c,
                   m.strong / c,
                   std::hypot(m.hue_x, m.hue_y) / std::max(m.hue_n, 1.0),
                   m.blue_dominant / c,
                   colourful / 255})
    f[i++] = static_cast<float>(x);
  for (double x : m.hue) f[i++] = static_cast<float>(x / ce);
  for (double x : m.sat) f[i++] = static_cast<float>(x / ce);
  for (double x : m.val) f[i++] = static_cast<float>(x / ce);
  for (double x : m.lab_hue) f[i++] = static_cast<float>(x / c);
  return f;
}

std::vector<float> floats(const nlohmann::json& j, std::size_t n, const char* what) {
  auto v = j.at(what).get<std::vector<float>>();
  if (v.size() != n)
    throw RuntimeError(std::string("out-of-body model: '") + what + "' has the wrong length");
  return v;
}

}  // namespace

const std::array<const char*, kOobFeatureCount>& oob_feature_names() {
  static const std::array<const char*, kOobFeatureCount> names{"corner_black",  "ring_black",
                                                               "content",       "centre_black",
                                                               "warm",          "a_mean",
                                                               "b_mean",        "a_std",
                                                               "b_std",         "cool",
                                                               "grey",          "specular",
                                                               "v_mean",        "v_std",
                                                               "s_mean",        "red_dominant",
                                                               "rg_chroma",     "centre_ring_ratio",
                                                               "gradient",      "edges",
                                                               "strong_edges",  "hue_concentration",
                                                               "blue_dominant", "colourfulness",
                                                               "hue0",          "hue1",
                                                               "hue2",          "hue3",
                                                               "hue4",          "hue5",
                                                               "hue6",          "hue7",
                                                               "hue8",          "hue9",
                                                               "hue10",         "hue11",
                                                               "sat0",          "sat1",
                                                               "sat2",          "sat3",
                                                               "val0",          "val1",
                                                               "val2",          "val3",
                                                               "lab_hue_red",   "lab_hue_orange",
                                                               "lab_hue_skin",  "lab_hue_yellow",
                                                               "lab_hue_other"};
  return names;
}

void OobFeatureExtractor::shrink(const cv::Mat& bgr) {
  // A bilinear step to 4x the target (cost ~ its output size), then INTER_AREA averaging 16
  // samples a pixel: noise and compression blocks vanish, colour stays; ~1 ms at 1080p where
  // INTER_AREA alone reads every source pixel.
  const cv::Size coarse(kWidth * 4, kHeight * 4);
  if (bgr.cols > coarse.width && bgr.rows > coarse.height) {
    cv::resize(bgr, coarse_, coarse, 0, 0, cv::INTER_LINEAR);
    cv::resize(coarse_, small_, {kWidth, kHeight}, 0, 0, cv::INTER_AREA);
  } else {
    cv::resize(bgr, small_, {kWidth, kHeight}, 0, 0, bgr.cols > kWidth ? cv::INTER_AREA : cv::INTER_LINEAR);
  }
}

OobFeatures OobFeatureExtractor::compute(const cv::Mat& bgr) {
  shrink(bgr);
  cv::cvtColor(small_, hsv_, cv::COLOR_BGR2HSV);
  cv::cvtColor(small_, lab_, cv::COLOR_BGR2Lab);
  cv::cvtColor(small_, grey_, cv::COLOR_BGR2GRAY);
  cv::Sobel(grey_, grad_x_, CV_32F, 1, 0);
  cv::Sobel(grey_, grad_y_, CV_32F, 0, 1);
  Sums m;
  for (int y = 0; y < kHeight; ++y) {
    const auto* px = small_.ptr<cv::Vec3b>(y);
    const auto* hsv = hsv_.ptr<cv::Vec3b>(y);
    const auto* lab = lab_.ptr<cv::Vec3b>(y);
    const auto* gx = grad_x_.ptr<float>(y);
    const auto* gy = grad_y_.ptr<float>(y);
    for (int x = 0; x < kWidth; ++x)
      add_pixel(m, x, y, px[x], hsv[x], lab[x], (std::abs(gx[x]) + std::abs(gy[x])) / 4);
  }
  return finish(m);
}

float OobModel::probability(const OobFeatures& f) const {
  std::array<float, kOobFeatureCount> z{};
  for (std::size_t i = 0; i < z.size(); ++i) z[i] = (f[i] - mean[i]) / scale[i];
  double out = output_bias;
  for (std::size_t h = 0; h < hidden_weights.size(); ++h) {
    double a = hidden_bias[h];
    for (std::size_t i = 0; i < z.size(); ++i) a += hidden_weights[h][i] * z[i];
    out += output_weights[h] * std::tanh(a);
  }
  return static_cast<float>(1 / (1 + std::exp(-std::clamp(out, -50.0, 50.0))));
}

OobModel OobModel::from_json(std::string_view text) {
  try {
    const auto j = nlohmann::json::parse(text);
    const auto names = j.at("features").get<std::vector<std::string>>();
    if (!std::equal(names.begin(), names.end(), oob_feature_names().begin(), oob_feature_names().end()))
      throw RuntimeError("out-of-body model: trained on other features than this build computes");
    OobModel m;
    const std::size_t n = kOobFeatureCount;
    m.mean = floats(j, n, "mean");
    m.scale = floats(j, n, "scale");
    m.hidden_bias = floats(j, j.at("hidden_bias").size(), "hidden_bias");
    m.output_weights = floats(j, m.hidden_bias.size(), "output_weights");
    for (const auto& row : j.at("hidden_weights")) m.hidden_weights.push_back(row.get<std::vector<float>>());
    if (m.hidden_weights.size() != m.hidden_bias.size() ||
        std::any_of(m.hidden_weights.begin(), m.hidden_weights.end(),
                    [&](const auto& r) { return r.size() != n; }))
      throw RuntimeError("out-of-body model: 'hidden_weights' has the wrong length");
    if (std::any_of(m.scale.begin(), m.scale.end(), [](float s) { return !(s > 0); }))
      throw RuntimeError("out-of-body model: a feature scale is not positive");
    m.output_bias = j.at("output_bias").get<float>();
    m.threshold = j.at("threshold").get<float>();
    m.note = j.value("trained_on", "");
    return m;
  } catch (const nlohmann::json::exception& e) {
    throw RuntimeError(std::string("out-of-body model: ") + e.what());
  }
}

std::string OobModel::to_json() const {
  nlohmann::json j;
  j["trained_on"] = note;
  j["features"] = oob_feature_names();
  j["mean"] = mean;
  j["scale"] = scale;
  j["hidden_weights"] = hidden_weights;
  j["hidden_bias"] = hidden_bias;
  j["output_weights"] = output_weights;
  j["output_bias"] = output_bias;
  j["threshold"] = threshold;
  return j.dump(1);
}

}  // namespace surg::detect
