#include "surg/anonymize/worker.hpp"

#include <exception>

namespace surg::anonymize {

struct AnalysisWorker::State {
  Analyze analyze;
  std::mutex mutex;
  std::condition_variable cv;
  bool stop = false;
  bool pending = false;  // a job waits to be picked up
  bool running = false;  // a job is being analysed
  bool ready = false;    // the last job's outcome is in `outcome`
  cv::Mat bgr;
  std::int64_t frame_index = 0;
  Outcome outcome;
};

AnalysisWorker::AnalysisWorker(Analyze analyze) : state_(std::make_shared<State>()) {
  state_->analyze = std::move(analyze);
  thread_ = std::thread(loop, state_);
}

AnalysisWorker::~AnalysisWorker() {
  std::unique_lock lock(state_->mutex);
  state_->stop = true;
  state_->cv.notify_all();
  const bool idle = state_->cv.wait_for(lock, kJoinGrace, [&] { return !state_->running; });
  lock.unlock();
  if (idle)
    thread_.join();
  else
    thread_.detach();  // a hung detector: the process exits around it
}

void AnalysisWorker::loop(std::shared_ptr<State> s) {
  std::unique_lock lock(s->mutex);
  while (true) {
    s->cv.wait(lock, [&] { return s->stop || s->pending; });
    if (s->stop) return;
    s->pending = false;
    s->running = true;
    cv::Mat bgr = std::move(s->bgr);
    const std::int64_t index = s->frame_index;
    lock.unlock();
    Outcome out;
    try {
      out.analysis = s->analyze(bgr, index);
      out.status = Status::done;
    } catch (const std::exception& e) {
      out.status = Status::failed;
      out.error = e.what();
    } catch (...) {
      out.status = Status::failed;
      out.error = "unknown exception";
    }
    lock.lock();
    s->outcome = std::move(out);
    s->running = false;
    s->ready = true;
    s->cv.notify_all();
  }
}

bool AnalysisWorker::start(cv::Mat bgr, std::int64_t frame_index) {
  std::lock_guard lock(state_->mutex);
  if (state_->running || state_->pending) return false;
  state_->bgr = std::move(bgr);
  state_->frame_index = frame_index;
  state_->pending = true;
  state_->ready = false;
  state_->cv.notify_all();
  return true;
}

AnalysisWorker::Outcome AnalysisWorker::wait_until(Clock::time_point deadline) {
  std::unique_lock lock(state_->mutex);
  if (!state_->cv.wait_until(lock, deadline, [&] { return state_->ready; })) return {};
  state_->ready = false;
  return std::move(state_->outcome);
}

}  // namespace surg::anonymize
