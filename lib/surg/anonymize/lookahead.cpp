#include "surg/anonymize/lookahead.hpp"

#include <algorithm>
#include <iterator>
#include <stdexcept>

namespace surg::anonymize {

LookAheadPlan plan_lookahead(Micros max_lag, int cycle, Micros interval) {
  LookAheadPlan p;
  p.analysis = kAnalysisSlack;
  if (max_lag <= Micros(0) || cycle <= 1 || interval <= Micros(0)) {
    p.complete = cycle <= 1 && max_lag > Micros(0);
    if (max_lag > Micros(0)) p.analysis = max_lag;
    return p;
  }
  // A frame also waits for the next one, whose arrival settles its own analysis.
  const auto fit = std::max<std::int64_t>(0, (max_lag - kAnalysisSlack) / interval - 1);
  p.frames = static_cast<int>(std::min<std::int64_t>(cycle - 1, fit));
  p.added = interval * (p.frames + 1);
  p.analysis = max_lag - p.added;
  p.complete = p.frames + 1 >= cycle;
  return p;
}

bool LookAhead::window_complete() const {
  std::int64_t run = 0, last = -2;
  for (const auto& p : queue_) {
    if (p.result.searched_whole) return true;
    const std::int64_t seq = p.result.search_seq;
    if (seq < 0) continue;  // not searched (slate, out of body): does not break the run
    run = seq == last + 1 ? run + 1 : 1;
    last = seq;
    if (run >= cycle_) return true;
  }
  return false;
}

void LookAhead::push(Anonymizer& anonymizer, Pending p) {
  settle_last(anonymizer);
  anonymizer.analyse(p.result, p.index);
  queue_.push_back(std::move(p));
  newest_settled_ = false;
}

void LookAhead::settle_last(Anonymizer& anonymizer) {
  if (queue_.empty() || newest_settled_) return;
  anonymizer.settle(queue_.back().result, queue_.back().t);
  newest_settled_ = true;
}

std::optional<Pending> LookAhead::pop(bool flush, bool searched) {
  if (flush && !newest_settled_) throw std::logic_error("LookAhead: settle_last() before the flush");
  // The newest frame is still being analysed (until settle_last): it is in no window yet.
  const auto settled = std::ssize(queue_) - (newest_settled_ ? 0 : 1);
  if (queue_.empty() || (!flush && settled <= frames_)) return std::nullopt;
  const bool complete = cycle_ <= 0 || searched || window_complete();
  Pending p = std::move(queue_.front());
  queue_.pop_front();
  if (p.result.slate == SlateReason::none && !complete) p.result.slate = SlateReason::warmup;
  return p;
}

}  // namespace surg::anonymize
