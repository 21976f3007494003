#pragma once
// The consent interlock of surg-push. Nothing reaches a network destination unless a
// consent covers live broadcast on that platform, and nothing is recorded under --consent
// unless recording is covered; surg.chain must show every anonymisation the consent
// requires. Without --consent only streams that come from the built-in test pattern may go
// out (cron test streams), so a real camera is never broadcast by mistake. While streaming
// the consent is verified again every 2 s: a revocation or expiry stops what it no longer
// covers. (An interlock against operator mistakes, not a security boundary: upstream can
// forge the chain.)
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "surg/ledger/verify.hpp"
#include "surg/media/stream.hpp"
#include "surg/push/destination.hpp"

namespace surg::push {

struct GateOptions {
  std::string case_id;   // --consent CASE ("" = none)
  std::string store;     // --consent-store ("" = default)
  std::string platform;  // --platform, for hosts that name no known platform
};

// Which platform a network destination publishes to: known hosts (facebook, youtube, ...)
// name it; any other host takes `explicit_platform`. Throws UsageError when neither tells.
std::string platform_of(const Destination& dest, const std::string& explicit_platform);

// What a re-verification found no longer covered.
struct Withdrawal {
  bool network = false;    // live broadcast: stop every network output
  bool recording = false;  // recording: stop the files too
  std::string reason;
};

class ConsentGate {
 public:
  ConsentGate(GateOptions options, std::vector<Destination> destinations);

  // Before any output opens. Throws ConsentError (exit 3) when a destination is not covered;
  // returns the session tags to write (with surg.case and surg.consent under --consent).
  media::Tags admit(const media::StreamInfo& info);

  // Every 2 s at most (cheap otherwise): what the consent stopped covering since admit().
  std::optional<Withdrawal> poll();

 private:
  consent::Verdict verify(const std::string& purpose, const std::string& platform) const;
  void require_chain(const consent::Verdict& v, const media::Tags& tags) const;

  GateOptions options_;
  std::vector<Destination> destinations_;
  std::vector<std::string> platforms_;  // of the network destinations
  bool has_files_ = false;
  std::optional<consent::Store> store_;
  std::unique_ptr<Clock> clock_;
  std::chrono::steady_clock::time_point next_check_{};
  bool network_on_ = false, recording_on_ = false;
};

}  // namespace surg::push
