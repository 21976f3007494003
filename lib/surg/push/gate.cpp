#include "surg/push/gate.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "surg/ledger/timestamp.hpp"
#include "surg/core/error.hpp"
#include "surg/core/redact.hpp"

namespace surg::push {
namespace {

constexpr auto kRecheck = std::chrono::seconds(2);

struct KnownHost {
  const char* fragment;
  const char* platform;
};
constexpr KnownHost kKnownHosts[] = {
    {"facebook.com", "facebook"}, {"fbcdn.net", "facebook"},   {"youtube.com", "youtube"},
    {"instagram.com", "instagram"}, {"linkedin.com", "linkedin"}, {"twitch.tv", "twitch"},
    {"contribute.live-video.net", "twitch"}, {"vimeo.com", "vimeo"},
};

std::string host_of(const std::string& url) {
  const auto start = url.find("://");
  if (start == std::string::npos) return {};
  std::string host = url.substr(start + 3);
  host = host.substr(0, host.find_first_of("/?"));
  if (const auto at = host.rfind('@'); at != std::string::npos) host = host.substr(at + 1);
  return host.substr(0, host.rfind(':') == std::string::npos ? host.size() : host.rfind(':'));
}

// A stream whose chain starts at surg-capture's built-in test pattern shows no patient.
bool is_test_stream(const media::Tags& tags) {
  const auto chain = tags.find(media::kTagChain);
  if (chain == tags.end()) return false;
  const auto steps = media::parse_chain(chain->second);
  return !steps.empty() && steps.front().tool == "capture" && steps.front().has("test-pattern");
}

}  // namespace

std::string platform_of(const Destination& dest, const std::string& explicit_platform) {
  const std::string host = host_of(dest.target);
  for (const auto& known : kKnownHosts) {
    const std::string fragment = known.fragment;
    if (host == fragment || (host.size() > fragment.size() && host.ends_with("." + fragment)))
      return known.platform;
  }
  if (!explicit_platform.empty()) return explicit_platform;
  throw UsageError("cannot tell which platform " + redact_url(dest.target) +
                   " publishes to; give --platform (facebook, youtube, intranet, ...)");
}

ConsentGate::ConsentGate(GateOptions options, std::vector<Destination> destinations)
    : options_(std::move(options)), destinations_(std::move(destinations)) {
  if (!options_.case_id.empty()) consent::require_case_id(options_.case_id);
  if (!options_.platform.empty())
    consent::require_one_of("--platform", options_.platform, consent::platforms());
  for (const auto& d : destinations_) {
    if (d.network()) platforms_.push_back(options_.case_id.empty() ? "" : platform_of(d, options_.platform));
    else has_files_ = true;
  }
}

consent::Verdict ConsentGate::verify(const std::string& purpose, const std::string& platform) const {
  return consent::verify(*store_, options_.case_id, purpose, platform, *clock_);
}

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
  }
}

media::Tags ConsentGate::admit(const media::StreamInfo& info) {
  media::Tags tags = info.tags;
  if (options_.case_id.empty()) {
    if (!platforms_.empty() && !is_test_stream(tags))
      throw ConsentError("network destinations need --consent CASE; only streams from "
                         "surg-capture --test-pattern go out without one");
    return tags;
  }
  store_ = consent::Store::open(options_.store);
  clock_ = consent::clock_from_env();
  std::optional<consent::Verdict> last;
  for (const auto& platform : platforms_) {
    last = verify("live-broadcast", platform);
    if (!last->ok) throw ConsentError(last->reason);
    require_chain(*last, tags);
  }
  if (has_files_) {
    last = verify("recording", "");
    if (!last->ok) throw ConsentError(last->reason);
    require_chain(*last, tags);
  }
  network_on_ = !platforms_.empty();
  recording_on_ = has_files_;
  if (last) {
    tags[media::kTagCase] = options_.case_id;
    tags[media::kTagConsent] = last->tag();
    spdlog::info("consent {} verified for {}", last->tag(),
                 network_on_ ? "live broadcast" : "recording");
  }
  next_check_ = std::chrono::steady_clock::now() + kRecheck;
  return tags;
}

std::optional<Withdrawal> ConsentGate::poll() {
  if (!store_ || (!network_on_ && !recording_on_)) return std::nullopt;
  const auto now = std::chrono::steady_clock::now();
  if (now < next_check_) return std::nullopt;
  next_check_ = now + kRecheck;
  Withdrawal w;
  for (const auto& platform : platforms_) {
    if (!network_on_) break;
    if (auto v = verify("live-broadcast", platform); !v.ok) {
      w.network = true;
      w.reason = v.reason;
    }
  }
  if (recording_on_) {
    if (auto v = verify("recording", ""); !v.ok) {
      w.recording = true;
      if (w.reason.empty()) w.reason = v.reason;
    }
  }
  if (!w.network && !w.recording) return std::nullopt;
  network_on_ = network_on_ && !w.network;
  recording_on_ = recording_on_ && !w.recording;
  return w;
}

}  // namespace surg::push
