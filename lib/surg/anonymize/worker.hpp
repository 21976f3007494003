#pragma once
// Runs frame analysis (face detection, out-of-body classification) on a worker thread so a
// detector that stalls costs a deadline, not the pipeline, and so the main thread can read and
// release other frames meanwhile (lookahead.hpp): the caller hands over one frame, later waits
// for its result until the frame's deadline, and sends the frame out as the slate when it is
// late. While the worker is still busy with an older frame, new frames are refused.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <opencv2/core.hpp>

#include "surg/detect/detector.hpp"

namespace surg::anonymize {

struct Analysis {
  std::vector<detect::Box> faces;  // pixels of the analysed image
  bool in_body = true;             // meaningful only when out-of-body classification is on
  std::int64_t search_seq = -1;    // the part of the tile cycle that ran (-1: faces not searched)
  bool searched_whole = false;     // every tile ran
};

class AnalysisWorker {
 public:
  using Clock = std::chrono::steady_clock;
  using Analyze = std::function<Analysis(const cv::Mat& bgr, std::int64_t frame_index)>;
  enum class Status { done, late, failed };
  struct Outcome {
    Status status = Status::late;
    Analysis analysis;
    std::string error;  // failed: what the analysis threw
  };

  // How long the destructor waits for a running analysis before leaving the thread behind.
  static constexpr std::chrono::seconds kJoinGrace{3};

  explicit AnalysisWorker(Analyze analyze);
  ~AnalysisWorker();
  AnalysisWorker(const AnalysisWorker&) = delete;
  AnalysisWorker& operator=(const AnalysisWorker&) = delete;

  // Starts analysing `bgr` (the worker keeps the Mat); false while an older job still runs.
  bool start(cv::Mat bgr, std::int64_t frame_index);
  // The result of the job started last, waiting at most until `deadline`.
  Outcome wait_until(Clock::time_point deadline);

 private:
  struct State;  // shared with the thread, so a thread left behind never dangles
  static void loop(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
  std::thread thread_;
};

}  // namespace surg::anonymize
