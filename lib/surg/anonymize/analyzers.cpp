#include "surg/anonymize/analyzers.hpp"

#include <algorithm>
#include <cmath>

#include "surg/anonymize/body.hpp"
#include "surg/anonymize/stage.hpp"
#include "surg/core/error.hpp"
#include "surg/detect/detector.hpp"
#include "surg/detect/pinned.hpp"
#include "surg/detect/yunet.hpp"
#include "surg/ledger/crypto.hpp"
#include "surg/media/av.hpp"

namespace surg::anonymize {

namespace {

// detect/pinned.hpp: SHA-256 over the hex SHA-256 of each file, in order, shortened.
std::string model_hash(const std::vector<std::string>& files) {
  if (files.empty()) return "none";
  std::string digests;
  for (const auto& f : files) digests += consent::sha256_file_hex(f);
  return consent::sha256_hex(digests).substr(0, detect::kModelHashDigits);
}

}  // namespace

cv::Size analysis_size(cv::Size f) {
  const int short_side = std::min(f.width, f.height);
  if (short_side <= kAnalysisShortSide) return f;
  const double s = static_cast<double>(kAnalysisShortSide) / short_side;
  return {static_cast<int>(std::lround(f.width * s)) & ~1, static_cast<int>(std::lround(f.height * s)) & ~1};
}

Analyzers::Analyzers(const Plan& o, cv::Size frame, double frame_rate,
                     std::unique_ptr<detect::Detector> detector)
    : size_(anonymize::analysis_size(frame)), in_body_score_(std::max(o.score, kInBodyFaceScore)) {
  if (o.faces) {
    faces_ = std::move(detector);
    if (!faces_) {
      detect::DetectorConfig config;
      config.model_dir = o.model_dir;
      config.score_threshold = o.score;
      config.script = o.detector_script;
      config.frame_rate = frame_rate;
      faces_ = detect::make_detector(o.detector, config);
    }
    cycle_ = std::max(1, faces_->full_cycle(size_));
    model_hash_ = anonymize::model_hash(faces_->model_files());
  }
  if (o.oob) body_ = make_body_check(o);
  if (o.oob && o.faces) second_opinion_ = std::make_unique<detect::YuNetModel>(detect::YuNetModel::shipped());
  whole_first_ = !o.live;
}

Analyzers::~Analyzers() = default;

std::string Analyzers::face_detector() const { return faces_ ? faces_->name() : "none"; }

Analysis Analyzers::analyze(const cv::Mat& bgr, std::int64_t frame_index) {
  Analysis a;
  if (body_) a.in_body = body_->in_body(bgr);
  // Out of body the frame becomes the slate: no need to spend the face budget on it.
  if (faces_ && (a.in_body || frame_index == kSearchWhole)) {
    a.searched_whole = whole_first_ || frame_index == kSearchWhole;
    a.search_seq = searched_++;
    a.faces = a.searched_whole ? faces_->detect(bgr) : faces_->detect_tiles(bgr, a.search_seq);
    whole_first_ = false;
    if (body_)
      std::erase_if(a.faces, [&](const detect::Box& b) {
        return b.score < in_body_score_ ||
               detect::second_opinion(*second_opinion_, bgr, b.rect) < kInBodySecondOpinion;
      });
  }
  return a;
}

AnalysisImage::~AnalysisImage() { sws_freeContext(sws_); }

cv::Mat AnalysisImage::convert(const AVFrame& f) {
  sws_ = sws_getCachedContext(sws_, f.width, f.height, static_cast<AVPixelFormat>(f.format), size_.width,
                              size_.height, AV_PIX_FMT_BGR24, SWS_BILINEAR, nullptr, nullptr, nullptr);
  if (!sws_) throw RuntimeError("sws_getCachedContext: cannot convert the frame for analysis");
  // swscale writes whole SIMD blocks: rows padded to 64 bytes plus a spare row, so it never
  // writes past the image (an unpadded cv::Mat here corrupted the heap on 360x480 input).
  const int step = (size_.width * 3 + 63) & ~63;
  cv::Mat padded(size_.height + 1, step, CV_8U);
  cv::Mat bgr = padded(cv::Rect(0, 0, size_.width * 3, size_.height)).reshape(3, size_.height);
  std::uint8_t* dst[4] = {bgr.data, nullptr, nullptr, nullptr};
  int stride[4] = {static_cast<int>(bgr.step), 0, 0, 0};
  media::av_check(sws_scale(sws_, f.data, f.linesize, 0, f.height, dst, stride), "sws_scale");
  return bgr;
}

std::string detector_list() {
  std::string out;
  for (const auto& d : detect::detectors()) {
    std::string name = d.name;
    name.resize(std::max<std::size_t>(name.size() + 2, 12), ' ');
    out += name + d.description + "\n";
  }
  return out;
}

}  // namespace surg::anonymize
