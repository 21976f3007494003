#include "surg/push/plan.hpp"

#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>

#include <spdlog/spdlog.h>

#include "surg/core/error.hpp"
#include "surg/push/player.hpp"
#include "surg/push/secrets.hpp"

namespace surg::push {
namespace {

// Surg tools that may appear in the chain of a --test-stream (doc/privacy.md).
const std::set<std::string> kSurgStages = {"capture", "anonymize", "annotate", "console"};

std::vector<Destination> parse_destinations(const Options& o) {
  std::vector<Destination> out;
  for (const auto& r : o.record) out.push_back(parse_record(r));
  for (const auto& d : o.destinations) out.push_back(parse_destination(d));
  if (out.empty()) throw UsageError("no destination (give a file, hls:DIR, rtmp://, rtmps:// or srt://)");
  return out;
}

bool any_kind(const std::vector<Destination>& ds, DestKind kind) {
  return std::any_of(ds.begin(), ds.end(), [&](const Destination& d) { return d.kind == kind; });
}

// Labels name destinations for their secrets: given ones must be unique; an unlabelled
// network destination of a known platform takes the platform's name when no other has it.
void label_destinations(std::vector<Destination>& ds) {
  std::set<std::string> given;
  for (const auto& d : ds)
    if (!d.label.empty() && !d.backup && !given.insert(d.label).second)
      throw UsageError("label " + d.label + "= is given to two destinations");
  std::map<std::string, int> by_platform;
  for (const auto& d : ds)
    if (d.label.empty() && d.network() && !d.platform.empty()) ++by_platform[d.platform];
  for (auto& d : ds)
    if (d.label.empty() && d.network() && by_platform[d.platform] == 1 && !given.count(d.platform) &&
        d.platform != "intranet")
      d.label = d.platform;
}

void resolve_platforms(std::vector<Destination>& ds, const Options& o) {
  for (auto& d : ds) {
    if (!d.publication()) continue;
    // Only a consent needs the platform; a test stream to an unknown host may leave it open.
    try {
      d.platform = resolve_platform(d, o.platform, o.intranet_hosts);
    } catch (const UsageError&) {
      if (!o.consent.empty() || !o.platform.empty()) throw;
    }
  }
}

// A backup ingest belongs to its primary's broadcast: the same platform, so the same consent.
void add_backups(std::vector<Destination>& ds, const Options& o) {
  const std::size_t primaries = ds.size();
  for (const auto& text : o.backup) {
    Destination b = parse_backup(text, std::vector<Destination>(ds.begin(), ds.begin() + primaries));
    const auto& p = *std::find_if(ds.begin(), ds.begin() + primaries,
                                  [&](const Destination& d) { return d.network() && d.label == b.label; });
    if (!p.platform.empty() && resolve_platform(b, p.platform, o.intranet_hosts) != p.platform)
      throw UsageError("--backup " + b.label + "=" + b.shown() +
                       " publishes elsewhere than its primary, on " + p.platform);
    b.platform = p.platform;
    ds.push_back(std::move(b));
  }
}

void check_consent_or_test(const Options& o, const std::vector<Destination>& ds) {
  const bool publishes =
      std::any_of(ds.begin(), ds.end(), [](const Destination& d) { return d.publication(); });
  if (o.test_stream && !o.consent.empty())
    throw UsageError("--test-stream and --consent exclude each other: a test stream has no patient");
  if (publishes && o.consent.empty() && !o.test_stream)
    throw ConsentError(
        "network destinations and HLS need --consent CASE (or --test-stream to publish "
        "surg-capture --test-pattern, and nothing else)");
}

}  // namespace

Plan make_plan(const Options& o) {
  Plan plan;
  plan.destinations = parse_destinations(o);
  auto& ds = plan.destinations;
  resolve_platforms(ds, o);
  label_destinations(ds);
  add_backups(ds, o);
  const bool network = any_kind(ds, DestKind::rtmp) || any_kind(ds, DestKind::srt);
  plan.settings = resolve_settings(o, network);
  auto& c = plan.output;
  c.keyint = plan.settings.keyint;
  c.queue = parse_duration(o.queue);
  c.stall_timeout = parse_duration(o.stall_timeout);
  if (c.stall_timeout.count() <= 0) throw UsageError("--stall-timeout must be more than 0");
  c.max_retries = o.max_retries;
  c.ca_file = o.ca_file;
  c.overwrite = o.overwrite;
  // Secret files are read (and their modes checked) whenever given, so a bad mode is refused
  // even before a destination needs the secret.
  assign_secrets(ds, {o.key_file, o.srt_passphrase_file, o.srt_streamid_file});
  if (!o.ca_file.empty() && access(o.ca_file.c_str(), R_OK) != 0)
    throw UsageError("--ca-file " + o.ca_file + ": cannot read it");
  if (o.player && !any_kind(ds, DestKind::hls)) throw UsageError("--player needs an hls:DIR destination");
  if (o.player) c.player_hlsjs = find_hlsjs();
  check_consent_or_test(o, ds);
  for (const auto& d : ds) check_writable(d, o.overwrite);
  plan.test_stream = o.test_stream;
  return plan;
}

std::optional<std::string> test_stream_refusal(const media::StreamInfo& info) {
  // A surg tool writes its stream bit-exact: a container "encoder" tag means another program
  // (ffmpeg) muxed it, and may have copied the tags from any of its inputs.
  if (!info.muxer.empty()) return "the stream was last written by " + info.muxer + ", not a surg tool";
  const auto chain = info.tags.find(media::kTagChain);
  const auto steps = media::parse_chain(chain == info.tags.end() ? "" : chain->second);
  if (steps.empty() || steps.front().tool != "capture" || !steps.front().has("test-pattern"))
    return std::string("its surg.chain does not start at surg-capture --test-pattern");
  for (std::size_t i = 1; i < steps.size(); ++i)
    if (!kSurgStages.count(steps[i].tool) || steps[i].tool == "capture")
      return "its surg.chain has a step '" + steps[i].tool + "' that is not a surg stage";
  return std::nullopt;
}

void admit_test_stream(const Plan& plan, const media::StreamInfo& info) {
  if (!plan.test_stream) return;
  if (auto why = test_stream_refusal(info))
    throw ConsentError("--test-stream: refusing to publish without consent: " + *why);
  std::string where;
  for (const auto& d : plan.destinations)
    if (d.publication()) where += (where.empty() ? "" : ", ") + d.shown();
  spdlog::warn("TEST STREAM without consent: publishing the surg-capture test pattern to {}", where);
}

std::string test_stream_warning() {
  return "test stream published without consent (--test-stream): surg-capture --test-pattern only";
}

}  // namespace surg::push
