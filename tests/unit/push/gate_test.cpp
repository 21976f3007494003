// The consent gate in process (no surg-push, no FFmpeg): a real store in a temporary
// directory, trusted through GateSeams, judged by a clock the test moves. Revocation, expiry,
// an amendment the chain lacks, and a store locked past the deadline (fail closed).
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "surg/core/error.hpp"
#include "surg/ledger/timestamp.hpp"
#include "surg/push/gate.hpp"

using namespace surg;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

consent::TimePoint at(const char* iso) { return *consent::parse_timestamp(iso); }

// A clock the checker thread reads while the test moves it.
class MovableClock : public Clock {
 public:
  explicit MovableClock(consent::TimePoint t) : t_(t.time_since_epoch().count()) {}
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::time_point(std::chrono::system_clock::duration(t_.load()));
  }
  void set(consent::TimePoint t) { t_ = t.time_since_epoch().count(); }

 private:
  std::atomic<std::chrono::system_clock::duration::rep> t_;
};

struct GateFixture {
  fs::path dir;
  std::shared_ptr<MovableClock> clock = std::make_shared<MovableClock>(at("2026-11-28T08:00:00Z"));
  std::optional<consent::Store> store;

  GateFixture() {
    std::string tmpl = (fs::temp_directory_path() / "surg-gate-test.XXXXXX").string();
    dir = ::mkdtemp(tmpl.data());
    store = consent::Store::create((dir / "store").string(), trust(""));
    const std::string key = store->keygen(false, *clock);
    store = consent::Store::open((dir / "store").string(), trust(key));
  }
  ~GateFixture() { fs::remove_all(dir); }

  consent::Trust trust(const std::string& key) const {
    consent::Trust t;
    t.key = key;
    t.witness = (dir / "witness/consent.witness").string();
    t.signing_key = (dir / "signing/consent.key").string();
    t.owner = ::getpwuid(::geteuid())->pw_name;
    return t;
  }

  void write(consent::EntryType type, const std::string& grantor, consent::Names anonymize,
             const std::string& audience = "professionals", const char* expires = "2027-01-01T00:00:00Z") {
    store->append([&](const consent::Ledger& ledger) {
      consent::Entry e;
      e.type = type;
      e.case_id = "CASE-0213";
      e.time = consent::format_utc(clock->now());
      if (type != consent::EntryType::revoke) {
        e.terms = {
            grantor, {"live-broadcast", "recording"}, {"intranet"}, std::move(anonymize), audience, expires,
            ""};
      }
      if (type == consent::EntryType::amend) {
        for (auto it = ledger.entries.rbegin(); it != ledger.entries.rend(); ++it)
          if (it->terms.grantor == grantor) {
            e.amends = it->hash;
            break;
          }
      }
      return e;
    });
  }
  void grant_both(const char* expires = "2027-01-01T00:00:00Z") {
    write(consent::EntryType::grant, "patient", {}, "professionals", expires);
    write(consent::EntryType::grant, "surgeon", {}, "professionals", expires);
  }

  std::unique_ptr<push::ConsentGate> gate(bool network = true) {
    push::GateSeams seams{store, clock, 50ms, 400ms};
    std::vector<push::Destination> dests{push::parse_destination((dir / "rec.mkv").string())};
    if (network) dests.push_back(push::parse_destination("rtmp://127.0.0.1:1935/live"));
    return std::make_unique<push::ConsentGate>(push::GateOptions{"CASE-0213", "", "intranet"}, dests, seams);
  }
};

media::StreamInfo stream(const std::string& chain = "capture@0.1.0:device") {
  media::StreamInfo info;
  info.tags[media::kTagChain] = chain;
  return info;
}

// Polls as the media loop would, for at most `limit`.
std::optional<push::Withdrawal> poll_for(push::ConsentGate& gate, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (auto w = gate.poll()) return w;
    std::this_thread::sleep_for(5ms);
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("gate: admits a covered stream and keeps it while the consent holds", "[gate]") {
  GateFixture f;
  f.grant_both();
  auto gate = f.gate();
  const media::Tags tags = gate->admit(stream());
  CHECK(tags.at(media::kTagCase) == "CASE-0213");
  CHECK_FALSE(poll_for(*gate, 300ms));
}

TEST_CASE("gate: a revocation withdraws network and recording", "[gate]") {
  GateFixture f;
  f.grant_both();
  auto gate = f.gate();
  gate->admit(stream());
  f.write(consent::EntryType::revoke, "", {});
  const auto w = poll_for(*gate, 1000ms);
  REQUIRE(w);
  CHECK(w->network);
  CHECK(w->recording);
  CHECK(w->reason.find("revoked") != std::string::npos);
  CHECK_FALSE(gate->poll());  // reported once
}

TEST_CASE("gate: a consent that expires while streaming is withdrawn", "[gate]") {
  GateFixture f;
  f.grant_both("2026-11-28T08:00:30Z");
  auto gate = f.gate();
  gate->admit(stream());
  CHECK_FALSE(poll_for(*gate, 200ms));
  f.clock->set(at("2026-11-28T08:00:31Z"));
  const auto w = poll_for(*gate, 1000ms);
  REQUIRE(w);
  CHECK(w->network);
  CHECK(w->reason.find("expired") != std::string::npos);
}

TEST_CASE("gate: an amendment asking for faces stops a chain without them", "[gate]") {
  GateFixture f;
  f.grant_both();
  auto gate = f.gate();
  gate->admit(stream());
  f.write(consent::EntryType::amend, "patient", {"faces"});
  const auto w = poll_for(*gate, 1000ms);
  REQUIRE(w);
  CHECK(w->network);
  CHECK_FALSE(w->recording);  // the hospital's own recording goes on
  CHECK(w->reason.find("faces") != std::string::npos);
}

TEST_CASE("gate: audience adults needs the 18+ warning in the chain", "[gate]") {
  GateFixture f;
  f.write(consent::EntryType::grant, "patient", {}, "adults");
  f.write(consent::EntryType::grant, "surgeon", {}, "adults");  // the stricter of the two governs
  CHECK_THROWS_AS(f.gate()->admit(stream()), ConsentError);
  auto gate = f.gate();
  CHECK_NOTHROW(gate->admit(stream("capture@0.1.0:device;annotate@0.1.0:title,warning")));
}

TEST_CASE("gate: a store locked past the deadline withdraws the network, never blocks poll", "[gate]") {
  GateFixture f;
  f.grant_both();
  auto gate = f.gate();
  gate->admit(stream());
  const int fd = ::open(f.store->ledger_path().c_str(), O_RDONLY);
  REQUIRE(::flock(fd, LOCK_EX) == 0);
  const auto start = std::chrono::steady_clock::now();
  std::optional<push::Withdrawal> w;
  auto slowest = 0ms;
  while (!w && std::chrono::steady_clock::now() - start < 2s) {
    const auto t = std::chrono::steady_clock::now();
    w = gate->poll();
    slowest = std::max(
        slowest, std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t));
    std::this_thread::sleep_for(5ms);
  }
  ::close(fd);
  REQUIRE(w);
  CHECK(w->network);
  CHECK_FALSE(w->recording);
  CHECK(w->reason.find("unreadable") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - start >= 400ms);  // not before the deadline
  CHECK(slowest < 20ms);                                     // the media loop never waited
}
