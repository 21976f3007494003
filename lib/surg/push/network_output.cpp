#include "surg/push/network_output.hpp"

#include <spdlog/spdlog.h>

namespace surg::push {
namespace {

// How long pop() sleeps before looking at the stop flags again.
constexpr std::chrono::milliseconds kPollWait{200};
// A write blocked this long is reported as a stall (the connection is only dropped at
// --stall-timeout): a frozen server is told apart from a slow one early. The send buffer is
// small (output.cpp), but a frozen server's kernel still takes seconds of stream into its
// receive buffer before writes block: in the soak (doc/testing.md) 10 s on loopback, so a
// notice at 5 s came 15.4 s after the freeze.
constexpr Micros kStallNotice{2000000};

std::int64_t ms(Micros d) { return d.count() / 1000; }

// --stats keeps the names it had before --events existed (cron scripts read them).
const char* stats_state(const char* state) {
  const std::string_view s(state);
  if (s == state::gave_up) return "gave_up";
  if (s == state::withdrawn) return "stopped";
  if (s == state::reconnecting) return "retrying";
  return state;
}

}  // namespace

NetworkOutput::NetworkOutput(const Destination& dest, const OutputConfig& config)
    : dest_(dest),
      config_(config),
      target_(mux_target(dest, config)),
      queue_(config.queue),
      backoff_(config.first_retry),
      kind_(dest.kind == DestKind::srt ? "srt" : "rtmp") {
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

void NetworkOutput::set_state(const char* state, nlohmann::json extra) {
  {
    std::lock_guard lock(mutex_);
    state_ = stats_state(state);
  }
  config_.events->output(target_.shown, kind_, state, std::move(extra));
}

void NetworkOutput::tick() {
  const Micros blocked = deadline_.blocked_for();
  if (blocked < kStallNotice || !muxer_ready_ || stalled_.exchange(true)) return;
  spdlog::warn("{}: stalled: no data accepted for {}", target_.shown, format_duration(blocked));
  set_state(state::stalled, {{"reason", "no data accepted for " + format_duration(blocked)}});
}

void NetworkOutput::wake() {
  { std::lock_guard lock(mutex_); }
  wake_.notify_all();
}

void NetworkOutput::run() {
  while (!stop_now_) {
    if (!muxer_ && !connect()) break;
    SharedPacket p = queue_.pop(kPollWait);
    if (p)
      send(p);
    else if (queue_.drained())
      break;
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
    set_state(state::connecting);
    try {
      muxer_ = std::make_unique<Muxer>(target_, config_.streams, deadline_, config_.stall_timeout);
    } catch (const std::exception& e) {
      spdlog::warn("{}", e.what());
      if (!retry_after_failure(e.what())) return false;
      continue;
    }
    ++connections_;
    conn_keyframes_ = 0;
    conn_first_us_ = conn_last_us_ = -1;
    stalled_ = false;
    muxer_ready_ = true;
    queue_.restart_at_keyframe();
    spdlog::info("{} {}", connections_ > 1 ? "reconnected to" : "connected to", target_.shown);
    set_state(state::connected);
    return true;
  }
  return false;
}

void NetworkOutput::send(const SharedPacket& p) {
  try {
    muxer_->write(*p);
    ++packets_;
    bytes_now_ = muxer_->bytes();
    if (conn_first_us_ < 0) conn_first_us_ = p->ts.count();
    conn_last_us_ = p->ts.count();
    if (stalled_.exchange(false)) set_state(state::connected);  // the peer caught up
    // A connection that carried a whole GOP counts as good: the next failure starts the
    // backoff from its first step again.
    if (p->keyframe && ++conn_keyframes_ == 2) backoff_.reset();
  } catch (const std::exception& e) {
    lost(e);
  }
}

void NetworkOutput::lost(const std::exception& e) {
  const bool stall = deadline_.expired() || muxer_->last_error() == AVERROR(ETIMEDOUT);
  spdlog::warn("{} (connection lost{})", e.what(), stall ? ": stalled" : "");
  muxer_ready_ = false;
  bytes_done_ += muxer_->bytes();
  bytes_now_ = 0;
  sent_us_ += conn_last_us_ > conn_first_us_ ? conn_last_us_ - conn_first_us_ : 0;
  muxer_.reset();
  const std::string reason =
      stall ? "stalled: no data accepted for " + format_duration(config_.stall_timeout) : e.what();
  if (stall && !stalled_.exchange(true)) set_state(state::stalled, {{"reason", reason}});
  set_state(state::disconnected, {{"reason", reason}});
  stalled_ = false;
  retry_after_failure(reason);
}

bool NetworkOutput::retry_after_failure(const std::string& reason) {
  ++failures_;
  if (config_.max_retries >= 0 && backoff_.failures() >= config_.max_retries) {
    spdlog::error("{}: giving up after {} failed attempts (--max-retries {})", target_.shown,
                  backoff_.failures() + 1, config_.max_retries);
    gave_up_ = true;
    queue_.discard();
    set_state(state::gave_up, {{"reason", reason}, {"attempt", backoff_.failures() + 1}});
    return false;
  }
  if (ending_) return false;
  const Micros delay = backoff_.next();
  set_state(state::reconnecting,
            {{"attempt", backoff_.failures()}, {"delay_ms", ms(delay)}, {"reason", reason}});
  spdlog::warn("{}: retrying in {}", target_.shown, format_duration(delay));
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, delay, [&] { return stop_now_ || ending_; });
  return !stop_now_ && !ending_;
}

void NetworkOutput::close_at_end() {
  if (!muxer_) {
    if (!gave_up_ && !stop_now_)
      set_state(state::disconnected, {{"reason", "not connected at the end of input"}});
    return;
  }
  muxer_ready_ = false;
  try {
    muxer_->finish(nullptr);
    if (!stop_now_) set_state(state::finished);
  } catch (const std::exception& e) {
    spdlog::warn("{}", e.what());
    if (!stop_now_) set_state(state::disconnected, {{"reason", e.what()}});
  }
  bytes_done_ += muxer_->bytes();
  bytes_now_ = 0;
  sent_us_ += conn_last_us_ > conn_first_us_ ? conn_last_us_ - conn_first_us_ : 0;
  conn_first_us_ = conn_last_us_ = -1;
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
  set_state(state::withdrawn, {{"reason", "consent withdrawn"}});
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
  const std::int64_t first = conn_first_us_, last = conn_last_us_;
  return {{"url", target_.shown},
          {"kind", kind_},
          {"label", dest_.label},
          {"backup", dest_.backup},
          {"bytes", bytes_done_ + bytes_now_},
          {"seconds", (sent_us_ + (last > first ? last - first : 0)) / 1e6},
          {"packets", packets_.load()},
          {"dropped_packets", q.dropped_packets},
          {"dropped_gops", q.dropped_gops},
          {"reconnects", std::max<std::int64_t>(0, connections_ - 1)},
          {"failed_attempts", failures_.load()},
          {"state", state_}};
}

}  // namespace surg::push
