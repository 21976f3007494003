#include "surg/push/gate.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "surg/core/error.hpp"
#include "surg/core/redact.hpp"
#include "surg/detect/pinned.hpp"
#include "surg/ledger/timestamp.hpp"

namespace surg::push {
namespace {

// A stream whose chain starts at surg-capture's built-in test pattern shows no patient.
bool is_test_stream(const media::Tags& tags) {
  const auto chain = tags.find(media::kTagChain);
  if (chain == tags.end()) return false;
  const auto steps = media::parse_chain(chain->second);
  return !steps.empty() && steps.front().tool == "capture" && steps.front().has("test-pattern");
}

}  // namespace

ConsentGate::ConsentGate(GateOptions options, std::vector<Destination> destinations, GateSeams seams)
    : options_(std::move(options)),
      destinations_(std::move(destinations)),
      store_(std::move(seams.store)),
      clock_(std::move(seams.clock)),
      recheck_period_(seams.recheck),
      deadline_(seams.deadline) {
  if (!options_.case_id.empty()) consent::require_case_id(options_.case_id);
  if (!options_.platform.empty())
    consent::require_one_of("--platform", options_.platform, consent::platforms());
  for (const auto& d : destinations_) {
    if (d.publication())
      platforms_.push_back(options_.case_id.empty() ? "" : platform_of(d, options_.platform));
    else
      has_files_ = true;
  }
}

ConsentGate::~ConsentGate() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (checker_.joinable()) checker_.join();
}

consent::Verdict ConsentGate::verify(const std::string& purpose, const std::string& platform) const {
  // The lock wait is bounded by the re-check period so the thread can always be stopped.
  return consent::verify(*store_, options_.case_id, purpose, platform, *clock_, recheck_period_);
}

namespace {

// A "faces" step counts only with a detector and model pinned in detect/pinned.hpp: a test
// detector, or a model file swapped for another, hides nothing that was promised.
bool faces_by_pinned_detector(const std::vector<media::ChainStep>& steps) {
  return std::any_of(steps.begin(), steps.end(), [](const media::ChainStep& s) {
    return s.tool == "anonymize" && s.has("faces") &&
           detect::is_pinned(s.value("detector"), s.value("model"));
  });
}

}  // namespace

void ConsentGate::require_chain(const consent::Verdict& v, const media::Tags& tags) const {
  const auto chain = tags.find(media::kTagChain);
  const auto steps = media::parse_chain(chain == tags.end() ? "" : chain->second);
  for (const auto& wanted : v.anonymize) {
    const bool applied = std::any_of(steps.begin(), steps.end(), [&](const media::ChainStep& s) {
      return s.tool == "anonymize" && s.has(wanted);
    });
    if (!applied)
      throw ConsentError(options_.case_id + ": the consent requires anonymisation '" + wanted +
                         "' but the stream's surg.chain does not show it (add surg-anonymize)");
    if (wanted == "faces" && !faces_by_pinned_detector(steps))
      throw ConsentError(options_.case_id +
                         ": the consent requires faces hidden, but surg.chain names no "
                         "known face detector and model (detector=, model=; see --list-detectors)");
  }
}

// The 18+ warning of surg-annotate --warning, for a consent whose audience is adults.
void ConsentGate::require_warning(const consent::Verdict& v, const media::Tags& tags) const {
  if (v.audience != "adults") return;
  const auto chain = tags.find(media::kTagChain);
  const auto steps = media::parse_chain(chain == tags.end() ? "" : chain->second);
  const bool warned = std::any_of(steps.begin(), steps.end(), [](const media::ChainStep& s) {
    return s.tool == "annotate" && s.has("warning");
  });
  if (!warned)
    throw ConsentError(options_.case_id +
                       ": the consent's audience is adults but the stream's surg.chain "
                       "shows no 18+ warning (add surg-annotate --warning)");
}

media::Tags ConsentGate::admit(const media::StreamInfo& info) {
  media::Tags tags = info.tags;
  if (options_.case_id.empty()) {
    if (!platforms_.empty() && !is_test_stream(tags))
      throw ConsentError(
          "network destinations need --consent CASE; only streams from "
          "surg-capture --test-pattern go out without one");
    return tags;
  }
  if (!store_) store_ = consent::Store::open(options_.store);
  if (!clock_) clock_ = consent::clock_from_env();
  std::optional<consent::Verdict> last;
  for (const auto& platform : platforms_) {
    last = verify("live-broadcast", platform);
    if (!last->ok) throw ConsentError(last->reason);
    require_chain(*last, tags);
    require_warning(*last, tags);
  }
  if (has_files_) {
    last = verify("recording", "");
    if (!last->ok) throw ConsentError(last->reason);
    require_chain(*last, tags);
  }
  network_on_ = !platforms_.empty();
  recording_on_ = has_files_;
  if (!platforms_.empty()) covers_.push_back("live-broadcast");
  if (has_files_) covers_.push_back("recording");
  if (last) {
    summary_ = {{"case", options_.case_id}, {"audience", last->audience}};
    if (last->until) summary_["expires"] = consent::format_utc(*last->until);
    tags[media::kTagCase] = options_.case_id;
    tags[media::kTagConsent] = last->tag();
    spdlog::info("consent {} verified for {}", last->tag(), network_on_ ? "live broadcast" : "recording");
  }
  tags_ = tags;
  concluded_at_ = std::chrono::steady_clock::now();
  if (network_on_ || recording_on_) checker_ = std::thread([this] { run_checker(); });
  return tags;
}

ConsentGate::Findings ConsentGate::recheck() const {
  Findings f;
  f.concluded = true;
  auto judge = [&](const consent::Verdict& v, std::string& out) {
    if (v.code == consent::Reason::unreadable)
      f.concluded = false;
    else if (!v.ok && out.empty())
      out = v.reason;
  };
  if (network_on_) {
    for (const auto& platform : platforms_) {
      const consent::Verdict v = verify("live-broadcast", platform);
      judge(v, f.network);
      if (!v.ok || !f.network.empty()) continue;
      try {  // an amendment may ask for more than the running chain does
        require_chain(v, tags_);
        require_warning(v, tags_);
      } catch (const ConsentError& e) {
        f.network = e.what();
      }
    }
  }
  if (recording_on_) judge(verify("recording", ""), f.recording);
  return f;
}

void ConsentGate::run_checker() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, recheck_period_, [this] { return stop_; })) {
    lock.unlock();
    const Findings f = recheck();  // the store is read without the mutex held
    const auto now = std::chrono::steady_clock::now();
    lock.lock();
    if (!f.concluded) continue;
    latest_ = f;
    concluded_at_ = now;
  }
}

std::optional<Withdrawal> ConsentGate::poll() {
  if (!checker_.joinable() || (!network_on_ && !recording_on_)) return std::nullopt;
  Findings f;
  std::chrono::steady_clock::time_point concluded_at;
  {
    std::lock_guard lock(mutex_);
    f = latest_;
    concluded_at = concluded_at_;
  }
  if (f.network.empty() && std::chrono::steady_clock::now() - concluded_at > deadline_)
    f.network = options_.case_id + ": store unreadable: the consent could not be re-checked for " +
                std::to_string(deadline_.count() / 1000) + " s; counted as withdrawn";
  Withdrawal w;
  w.network = network_on_ && !f.network.empty();
  w.recording = recording_on_ && !f.recording.empty();
  if (!w.network && !w.recording) return std::nullopt;
  w.reason = w.network ? f.network : f.recording;
  if (w.network) network_on_ = false;
  if (w.recording) recording_on_ = false;
  return w;
}

}  // namespace surg::push
