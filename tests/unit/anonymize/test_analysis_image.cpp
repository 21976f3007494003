// The analysis copy: yuv420p in limited range goes through OpenCV (analyzers.hpp), and must
// give what libswscale gives; other formats and full range go through libswscale.
#include <catch2/catch.hpp>

#include <opencv2/imgproc.hpp>

#include "surg/anonymize/analyzers.hpp"
#include "surg/media/av.hpp"
#include "surg/media/mat_view.hpp"

extern "C" {
#include <libavutil/frame.h>
#include <libswscale/swscale.h>
}

using namespace surg::anonymize;

namespace {

// A 1280x720 yuv420p frame of smooth colour structure (31-pixel cells) with a little sensor noise (sigma 3).
surg::media::FramePtr textured_frame(AVPixelFormat format) {
  cv::Mat coarse(23, 41, CV_8UC3), bgr, noise(720, 1280, CV_8UC3), i420;
  cv::RNG rng(5);
  rng.fill(coarse, cv::RNG::UNIFORM, 0, 256);
  cv::resize(coarse, bgr, {1280, 720}, 0, 0, cv::INTER_CUBIC);
  rng.fill(noise, cv::RNG::NORMAL, 0, 3);
  cv::add(bgr, noise, bgr);
  cv::cvtColor(bgr, i420, cv::COLOR_BGR2YUV_I420);
  auto f = surg::media::alloc_video_frame(1280, 720, format);
  const int heights[3] = {720, 360, 360};
  const std::uint8_t* src = i420.data;
  for (int p = 0; p < 3; ++p) {
    const int width = p == 0 ? 1280 : 640;
    for (int y = 0; y < heights[p]; ++y, src += width)
      std::copy_n(src, width, f->data[p] + y * f->linesize[p]);
  }
  return f;
}

// What libswscale's bilinear scaler makes of the frame, as the general path does.
cv::Mat swscale_bgr(const AVFrame& f, cv::Size size) {
  SwsContext* sws = sws_getContext(f.width, f.height, static_cast<AVPixelFormat>(f.format), size.width,
                                   size.height, AV_PIX_FMT_BGR24, SWS_BILINEAR, nullptr, nullptr, nullptr);
  REQUIRE(sws);
  cv::Mat padded(size.height + 1, (size.width * 3 + 63) & ~63, CV_8U);
  cv::Mat bgr = padded(cv::Rect(0, 0, size.width * 3, size.height)).reshape(3, size.height);
  std::uint8_t* dst[4] = {bgr.data, nullptr, nullptr, nullptr};
  int stride[4] = {static_cast<int>(bgr.step), 0, 0, 0};
  sws_scale(sws, f.data, f.linesize, 0, f.height, dst, stride);
  sws_freeContext(sws);
  return bgr.clone();
}

double mean_difference(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat d;
  cv::absdiff(a, b, d);
  return cv::mean(d.reshape(1))[0];
}

}  // namespace

TEST_CASE("analysis copy of yuv420p: libswscale's picture within a few grey levels, at the analysis size") {
  const auto frame = textured_frame(AV_PIX_FMT_YUV420P);
  const cv::Size size = analysis_size({1280, 720});
  REQUIRE(size == cv::Size(960, 540));
  AnalysisImage image(size);
  const cv::Mat first = image.convert(*frame);
  REQUIRE(first.size() == size);
  REQUIRE(first.type() == CV_8UC3);
  // The two scalers filter differently (libswscale's is softer at 4:3); a wrong colour matrix,
  // range, plane order or a shifted picture would differ by tens of levels.
  const cv::Mat reference = swscale_bgr(*frame, size);
  CHECK(mean_difference(first, reference) < 2.5);
  auto swapped = textured_frame(AV_PIX_FMT_YUV420P);
  std::swap(swapped->data[1], swapped->data[2]);
  CHECK(mean_difference(image.convert(*swapped), reference) > 10);
  std::swap(swapped->data[1], swapped->data[2]);  // back, for the frame's own deallocation
  // Each call gives its own image: the worker may still be reading the last one.
  const cv::Mat second = image.convert(*frame);
  CHECK(second.data != first.data);
  CHECK(cv::norm(first, second, cv::NORM_INF) == 0);
}

TEST_CASE("analysis copy at the frame's own size: OpenCV's conversion of the planes, exactly") {
  const auto frame = textured_frame(AV_PIX_FMT_YUV420P);
  cv::Mat i420(1080, 1280, CV_8U);
  surg::media::plane_view(*frame, 0).copyTo(i420.rowRange(0, 720));
  surg::media::plane_view(*frame, 1).copyTo(cv::Mat(360, 640, CV_8U, i420.ptr(720)));
  surg::media::plane_view(*frame, 2).copyTo(cv::Mat(360, 640, CV_8U, i420.ptr(720) + 640 * 360));
  cv::Mat expected;
  cv::cvtColor(i420, expected, cv::COLOR_YUV2BGR_I420);
  AnalysisImage image({1280, 720});
  CHECK(cv::norm(image.convert(*frame), expected, cv::NORM_INF) == 0);
}

TEST_CASE("analysis copy of full-range video goes through libswscale: black stays black") {
  // Luma 16 is black in limited range and a dark grey in full range (yuvj420p, or yuv420p
  // marked color_range jpeg): OpenCV's conversion knows only the first.
  auto limited = textured_frame(AV_PIX_FMT_YUV420P);
  auto full = textured_frame(AV_PIX_FMT_YUVJ420P);
  auto marked = textured_frame(AV_PIX_FMT_YUV420P);
  marked->color_range = AVCOL_RANGE_JPEG;
  for (AVFrame* f : {limited.get(), full.get(), marked.get()}) {
    surg::media::plane_view(*f, 0).setTo(16);
    surg::media::plane_view(*f, 1).setTo(128);
    surg::media::plane_view(*f, 2).setTo(128);
  }
  AnalysisImage image({960, 540});
  CHECK(cv::mean(image.convert(*limited))[0] < 2);
  CHECK(cv::mean(image.convert(*full))[0] == Approx(16).margin(2));
  CHECK(cv::mean(image.convert(*marked))[0] == Approx(16).margin(2));
}
