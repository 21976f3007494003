#include <catch2/catch.hpp>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "surg/anonymize/review.hpp"
#include "surg/anonymize/worker.hpp"
#include "surg/media/av.hpp"

using namespace surg::anonymize;
using namespace std::chrono_literals;
using Clock = AnalysisWorker::Clock;

TEST_CASE("the worker returns the analysis of the frame it was given") {
  AnalysisWorker worker([](const cv::Mat& bgr, std::int64_t index) {
    Analysis a;
    a.faces.push_back({cv::Rect2f(static_cast<float>(index), 0, static_cast<float>(bgr.cols), 1), 0.5f});
    return a;
  });
  for (int i = 0; i < 3; ++i) {
    REQUIRE(worker.start(cv::Mat(4, 8, CV_8UC3), i));
    const auto out = worker.wait_until(Clock::now() + 2s);
    REQUIRE(out.status == AnalysisWorker::Status::done);
    CHECK(out.analysis.faces.at(0).rect.x == i);
    CHECK(out.analysis.faces.at(0).rect.width == 8);
  }
}

TEST_CASE("a failing analysis is reported with its message") {
  AnalysisWorker worker(
      [](const cv::Mat&, std::int64_t) -> Analysis { throw std::runtime_error("model broke"); });
  REQUIRE(worker.start(cv::Mat(), 0));
  const auto out = worker.wait_until(Clock::now() + 2s);
  CHECK(out.status == AnalysisWorker::Status::failed);
  CHECK(out.error == "model broke");
}

TEST_CASE("a stalled analysis makes frames late and refuses new ones, then recovers") {
  std::atomic<bool> release{false};
  AnalysisWorker worker([&](const cv::Mat&, std::int64_t) {
    while (!release) std::this_thread::sleep_for(1ms);
    return Analysis{};
  });
  REQUIRE(worker.start(cv::Mat(), 0));
  const auto start = Clock::now();
  CHECK(worker.wait_until(start + 50ms).status == AnalysisWorker::Status::late);
  CHECK(Clock::now() - start < 1s);
  CHECK_FALSE(worker.start(cv::Mat(), 1));  // still busy with frame 0
  release = true;
  std::this_thread::sleep_for(50ms);
  REQUIRE(worker.start(cv::Mat(), 2));
  CHECK(worker.wait_until(Clock::now() + 2s).status == AnalysisWorker::Status::done);
}

TEST_CASE("the review keeps the frames of lowest confidence") {
  auto frame = surg::media::alloc_video_frame(64, 48, AV_PIX_FMT_YUV420P);
  for (int i = 0; i < 3; ++i) std::fill_n(frame->data[i], frame->linesize[i] * (i ? 24 : 48), 128);
  ReviewSheet review;
  for (int i = 0; i < 40; ++i) {
    const float confidence = i == 7 ? 0.0f : 0.3f + 0.01f * static_cast<float>(i % 20);
    if (review.wants(confidence)) review.offer(i, surg::Micros(i * 33333), confidence, *frame);
  }
  CHECK(review.size() == ReviewSheet::kKeep);
  CHECK_FALSE(review.wants(0.9f));
  CHECK(review.wants(0.0f));
  const cv::Mat sheet = review.sheet();
  CHECK(sheet.cols == ReviewSheet::kColumns * ReviewSheet::kThumbWidth);
  CHECK(sheet.rows > 3 * 240);
}
