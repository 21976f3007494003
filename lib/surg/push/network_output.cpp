#include "surg/push/network_output.hpp"

#include <spdlog/spdlog.h>

namespace surg::push {
namespace {

// How long pop() sleeps before looking at the stop flags again.
constexpr std::chrono::milliseconds kPollWait{200};

}  // namespace

NetworkOutput::NetworkOutput(const Destination& dest, const OutputConfig& config)
    : dest_(dest),
      config_(config),
      target_(mux_target(dest, config)),
      queue_(config.queue),
      backoff_(config.first_retry) {
  thread_ = std::thread([this] { run(); });
}

NetworkOutput::~NetworkOutput() {
  if (!thread_.joinable()) return;
  stop_now_ = true;
  deadline_.abort();
  queue_.close();
  wake();
  thread_.join();
}

void NetworkOutput::set_state(const char* state) {
  std::lock_guard lock(mutex_);
  state_ = state;
}

void NetworkOutput::wake() {
  { std::lock_guard lock(mutex_); }
  wake_.notify_all();
}

void NetworkOutput::run() {
  while (!stop_now_) {
    if (!muxer_ && !connect()) break;
    SharedPacket p = queue_.pop(kPollWait);
    if (p) send(p);
    else if (queue_.drained()) break;
  }
  close_at_end();
  std::lock_guard lock(mutex_);
  done_ = true;
  wake_.notify_all();
}

bool NetworkOutput::connect() {
  while (!stop_now_ && !gave_up_) {
    // After the end of input only a connection already open may drain the queue.
    if (ending_ && failures_ > 0) return false;
    try {
      muxer_ = std::make_unique<Muxer>(target_, config_.streams, deadline_, config_.stall_timeout);
    } catch (const std::exception& e) {
      spdlog::warn("{}", e.what());
      if (!retry_after_failure()) return false;
      continue;
    }
    ++connections_;
    conn_keyframes_ = 0;
    queue_.restart_at_keyframe();
    spdlog::info("{} {}", connections_ > 1 ? "reconnected to" : "connected to", target_.shown);
    set_state("connected");
    return true;
  }
  return false;
}

void NetworkOutput::send(const SharedPacket& p) {
  try {
    muxer_->write(*p);
    ++packets_;
    // A connection that carried a whole GOP counts as good: the next failure starts the
    // backoff from its first step again.
    if (p->keyframe && ++conn_keyframes_ == 2) backoff_.reset();
  } catch (const std::exception& e) {
    spdlog::warn("{} (connection lost)", e.what());
    bytes_done_ += muxer_->bytes();
    muxer_.reset();
    retry_after_failure();
  }
}

bool NetworkOutput::retry_after_failure() {
  ++failures_;
  if (config_.max_retries >= 0 && backoff_.failures() >= config_.max_retries) {
    spdlog::error("{}: giving up after {} failed attempts (--max-retries {})", target_.shown,
                  backoff_.failures() + 1, config_.max_retries);
    gave_up_ = true;
    queue_.discard();
    set_state("gave_up");
    return false;
  }
  if (ending_) return false;
  const Micros delay = backoff_.next();
  set_state("retrying");
  spdlog::warn("{}: retrying in {}", target_.shown, format_duration(delay));
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, delay, [&] { return stop_now_ || ending_; });
  return !stop_now_ && !ending_;
}

void NetworkOutput::close_at_end() {
  if (!muxer_) {
    if (!gave_up_) set_state("disconnected");
    return;
  }
  try {
    muxer_->finish(nullptr);
    set_state("finished");
  } catch (const std::exception& e) {
    spdlog::warn("{}", e.what());
    set_state("disconnected");
  }
  bytes_done_ += muxer_->bytes();
  muxer_.reset();
}

void NetworkOutput::stop(const ChapterList&) {
  if (!thread_.joinable()) return;
  stop_now_ = true;
  ending_ = true;
  deadline_.abort();
  queue_.close();
  wake();
  thread_.join();
  set_state("stopped");
}

void NetworkOutput::finish(const ChapterList&) {
  if (!thread_.joinable()) return;  // stopped earlier
  ending_ = true;
  queue_.close();
  wake();
  // Drain what is queued, but a slow peer may not hold the exit for longer than a stall.
  {
    std::unique_lock lock(mutex_);
    if (!wake_.wait_for(lock, config_.stall_timeout, [&] { return done_; })) {
      spdlog::warn("{}: not drained in {}; closing", target_.shown, format_duration(config_.stall_timeout));
      stop_now_ = true;
      deadline_.abort();
      wake_.notify_all();
    }
  }
  thread_.join();
}

nlohmann::json NetworkOutput::stats() const {
  const auto q = queue_.counters();
  std::lock_guard lock(mutex_);
  return {{"url", target_.shown},
          {"kind", dest_.kind == DestKind::srt ? "srt" : "rtmp"},
          {"label", dest_.label},
          {"backup", dest_.backup},
          {"bytes", bytes_done_ + (muxer_ ? muxer_->bytes() : 0)},
          {"packets", packets_},
          {"dropped_packets", q.dropped_packets},
          {"dropped_gops", q.dropped_gops},
          {"reconnects", std::max<std::int64_t>(0, connections_ - 1)},
          {"failed_attempts", failures_},
          {"state", state_}};
}

}  // namespace surg::push
