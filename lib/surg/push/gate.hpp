#pragma once
// The consent interlock of surg-push. Nothing reaches a network destination unless a
// consent covers live broadcast on that platform, and nothing is recorded under --consent
// unless recording is covered; surg.chain must show every anonymisation the consent
// requires, and the 18+ warning (surg-annotate --warning) when its audience is "adults".
// Without --consent only streams that come from the built-in test pattern may go out (cron
// test streams), so a real camera is never broadcast by mistake. (An interlock against
// operator mistakes, not a security boundary: upstream can forge the chain.)
//
// While streaming, a thread of the gate's own re-checks the consent every 2 s (revocation,
// expiry, an amendment the chain no longer meets); the media loop only reads its latest
// verdict in poll(), which never waits on the store. If no re-check has concluded for 10 s
// (the store unreadable, or locked by a stopped surg-consent), the network outputs count as
// withdrawn: fail closed (doc/consent.md).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
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

// Seams for tests: a store and a clock of their own, shorter periods. Defaults are the
// real ones (the system config's store trust, the system clock, 2 s and 10 s).
struct GateSeams {
  std::optional<consent::Store> store;
  std::shared_ptr<const Clock> clock;
  std::chrono::milliseconds recheck{2000};
  std::chrono::milliseconds deadline{10000};
};

// Which platform a publication is shown on: platform_of() in destination.hpp.

// What a re-verification found no longer covered.
struct Withdrawal {
  bool network = false;    // live broadcast: stop every network output
  bool recording = false;  // recording: stop the files too
  std::string reason;
};

class ConsentGate {
 public:
  ConsentGate(GateOptions options, std::vector<Destination> destinations, GateSeams seams = {});
  ~ConsentGate();
  ConsentGate(const ConsentGate&) = delete;
  ConsentGate& operator=(const ConsentGate&) = delete;

  // Before any output opens. Throws ConsentError (exit 3) when a destination is not covered;
  // returns the session tags to write (with surg.case and surg.consent under --consent).
  // Starts the re-check thread.
  media::Tags admit(const media::StreamInfo& info);

  // Called from the media loop as often as it likes; never blocks on the store. What the
  // consent stopped covering since admit(), reported once.
  std::optional<Withdrawal> poll();

  // The consent admitted, for the `consent` event (surg-push(1), EVENTS): case, the uses it
  // was verified for, its earliest expiry, its audience. Empty without --consent.
  const std::map<std::string, std::string>& summary() const { return summary_; }
  const std::vector<std::string>& covers() const { return covers_; }

 private:
  // One re-check's findings; "" = still covered. `concluded` is false when the store could
  // not be read (nothing was learnt either way).
  struct Findings {
    bool concluded = false;
    std::string network, recording;
  };
  consent::Verdict verify(const std::string& purpose, const std::string& platform) const;
  void require_chain(const consent::Verdict& v, const media::Tags& tags) const;
  void require_warning(const consent::Verdict& v, const media::Tags& tags) const;
  Findings recheck() const;
  void run_checker();

  GateOptions options_;
  std::vector<Destination> destinations_;
  std::vector<std::string> platforms_;  // of the network destinations
  bool has_files_ = false;
  std::optional<consent::Store> store_;
  std::shared_ptr<const Clock> clock_;
  std::chrono::milliseconds recheck_period_, deadline_;
  std::map<std::string, std::string> summary_;
  std::vector<std::string> covers_;
  media::Tags tags_;  // as admitted: the chain the re-checks hold the consent against
  std::atomic<bool> network_on_{false}, recording_on_{false};  // written by poll() only

  // Shared with the checker thread, under mutex_ (held only to copy, never across I/O).
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  Findings latest_;
  std::chrono::steady_clock::time_point concluded_at_{};
  std::thread checker_;
};

}  // namespace surg::push
