#include "surg/anonymize/review.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include "surg/core/error.hpp"
#include "surg/media/av.hpp"

namespace surg::anonymize {
namespace {

cv::Mat thumbnail(const AVFrame& f) {
  const int h = std::max(2, f.height * ReviewSheet::kThumbWidth / std::max(1, f.width)) & ~1;
  SwsContext* sws =
      sws_getContext(f.width, f.height, static_cast<AVPixelFormat>(f.format), ReviewSheet::kThumbWidth, h,
                     AV_PIX_FMT_BGR24, SWS_AREA, nullptr, nullptr, nullptr);
  if (!sws) throw RuntimeError("sws_getContext: cannot make a review thumbnail");
  media::SwsPtr owner(sws);
  cv::Mat bgr(h, ReviewSheet::kThumbWidth, CV_8UC3);
  std::uint8_t* dst[4] = {bgr.data, nullptr, nullptr, nullptr};
  int stride[4] = {static_cast<int>(bgr.step), 0, 0, 0};
  sws_scale(sws, f.data, f.linesize, 0, f.height, dst, stride);
  return bgr;
}

std::string label(Micros t, float confidence) {
  char text[64];
  std::snprintf(text, sizeof text, "%s  conf %.2f", format_duration(t).c_str(), confidence);
  return text;
}

}  // namespace

bool ReviewSheet::wants(float confidence) const {
  return kept_.size() < kKeep || confidence < kept_.back().confidence;
}

void ReviewSheet::offer(std::int64_t index, Micros t, float confidence, const AVFrame& frame) {
  if (!wants(confidence)) return;
  Thumb thumb{index, t, confidence, thumbnail(frame)};
  auto at = std::upper_bound(kept_.begin(), kept_.end(), thumb, [](const Thumb& a, const Thumb& b) {
    return a.confidence != b.confidence ? a.confidence < b.confidence : a.index < b.index;
  });
  kept_.insert(at, std::move(thumb));
  if (kept_.size() > kKeep) kept_.pop_back();
}

cv::Mat ReviewSheet::sheet() const {
  std::vector<const Thumb*> order;
  for (const auto& k : kept_) order.push_back(&k);
  std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->index < b->index; });
  const int cell_h = order.empty() ? 2 : order.front()->bgr.rows + 24;
  const int rows = std::max<int>(1, (static_cast<int>(order.size()) + kColumns - 1) / kColumns);
  cv::Mat out(rows * cell_h, kColumns * kThumbWidth, CV_8UC3, cv::Scalar(32, 32, 32));
  for (std::size_t i = 0; i < order.size(); ++i) {
    const cv::Point at(static_cast<int>(i % kColumns) * kThumbWidth, static_cast<int>(i / kColumns) * cell_h);
    const cv::Mat& bgr = order[i]->bgr;
    bgr.copyTo(out(cv::Rect(at.x, at.y, bgr.cols, std::min(bgr.rows, out.rows - at.y))));
    cv::putText(out, label(order[i]->t, order[i]->confidence), {at.x + 4, at.y + bgr.rows + 17},
                cv::FONT_HERSHEY_SIMPLEX, 0.5, cv::Scalar(230, 230, 230), 1, cv::LINE_AA);
  }
  return out;
}

void ReviewSheet::write(const std::string& dir) const {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw RuntimeError("--review " + dir + ": " + ec.message());
  write_png(sheet(), dir + "/contact-sheet.png");
  nlohmann::json frames = nlohmann::json::array();
  for (const auto& k : kept_)
    frames.push_back({{"frame", k.index}, {"time", format_duration(k.t)}, {"confidence", k.confidence}});
  std::ofstream out(dir + "/review.json", std::ios::trunc);
  out << nlohmann::json{{"sheet", "contact-sheet.png"}, {"frames", frames}}.dump(2) << "\n";
  if (!out) throw RuntimeError("--review " + dir + "/review.json: cannot write");
}

void write_png(const cv::Mat& bgr, const std::string& path) {
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
  if (!codec) throw RuntimeError("write_png: no PNG encoder in libavcodec");
  media::CodecContextPtr ctx(avcodec_alloc_context3(codec));
  ctx->width = bgr.cols;
  ctx->height = bgr.rows;
  ctx->pix_fmt = AV_PIX_FMT_RGB24;  // the PNG encoder takes RGB, not BGR
  ctx->time_base = {1, 1};
  media::av_check(avcodec_open2(ctx.get(), codec, nullptr), "avcodec_open2", "png");
  auto frame = media::alloc_video_frame(bgr.cols, bgr.rows, AV_PIX_FMT_RGB24);
  cv::Mat rgb(bgr.rows, bgr.cols, CV_8UC3, frame->data[0], static_cast<std::size_t>(frame->linesize[0]));
  cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
  frame->pts = 0;
  media::av_check(avcodec_send_frame(ctx.get(), frame.get()), "avcodec_send_frame", path);
  media::av_check(avcodec_send_frame(ctx.get(), nullptr), "avcodec_send_frame", path);
  auto packet = media::make_packet();
  media::av_check(avcodec_receive_packet(ctx.get(), packet.get()), "avcodec_receive_packet", path);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(packet->data), packet->size);
  if (!out) throw RuntimeError("cannot write " + path);
}

}  // namespace surg::anonymize
