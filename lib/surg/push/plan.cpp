#include "surg/push/plan.hpp"

#include <unistd.h>

#include "surg/core/error.hpp"
#include "surg/push/player.hpp"
#include "surg/push/secrets.hpp"

namespace surg::push {
namespace {

std::vector<Destination> parse_destinations(const Options& o) {
  std::vector<Destination> out;
  for (const auto& r : o.record) out.push_back(parse_record(r));
  for (const auto& d : o.destinations) out.push_back(parse_destination(d));
  if (out.empty()) throw UsageError("no destination (give a file, hls:DIR, rtmp://, rtmps:// or srt://)");
  return out;
}

bool any_kind(const std::vector<Destination>& ds, DestKind kind) {
  for (const auto& d : ds)
    if (d.kind == kind) return true;
  return false;
}

void load_secrets(const Options& o, const std::vector<Destination>& ds, OutputConfig& config) {
  // Files are read (and their modes checked) whenever given, so a bad mode is refused even
  // before a destination needs the secret.
  if (auto key = load_secret(o.key_file, "SURG_STREAM_KEY")) config.stream_key = *key;
  if (auto pass = load_secret(o.srt_passphrase_file, "SURG_SRT_PASSPHRASE")) config.srt_passphrase = *pass;
  if (!config.srt_passphrase.empty() && any_kind(ds, DestKind::srt) &&
      (config.srt_passphrase.size() < 10 || config.srt_passphrase.size() > 79))
    throw UsageError("SRT passphrase must be 10 to 79 characters");
  if (!o.ca_file.empty() && access(o.ca_file.c_str(), R_OK) != 0)
    throw UsageError("--ca-file " + o.ca_file + ": cannot read it");
}

}  // namespace

Plan make_plan(const Options& o) {
  Plan plan;
  plan.destinations = parse_destinations(o);
  const bool network = any_kind(plan.destinations, DestKind::rtmp) || any_kind(plan.destinations, DestKind::srt);
  plan.settings = resolve_settings(o, network);
  auto& c = plan.output;
  c.keyint = plan.settings.keyint;
  c.queue = parse_duration(o.queue);
  c.stall_timeout = parse_duration(o.stall_timeout);
  if (c.stall_timeout.count() <= 0) throw UsageError("--stall-timeout must be more than 0");
  c.max_retries = o.max_retries;
  c.ca_file = o.ca_file;
  load_secrets(o, plan.destinations, c);
  if (o.player && !any_kind(plan.destinations, DestKind::hls))
    throw UsageError("--player needs an hls:DIR destination");
  if (o.player) c.player_hlsjs = find_hlsjs();
  for (const auto& d : plan.destinations) check_writable(d);
  return plan;
}

}  // namespace surg::push
