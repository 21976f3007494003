#pragma once
// What surg-push will do, checked before the input is read: destinations, platforms,
// secrets, encode settings, and whether publishing is under a consent or a test stream.
#include <optional>
#include <string>
#include <vector>

#include "surg/media/stream.hpp"
#include "surg/push/destination.hpp"
#include "surg/push/options.hpp"
#include "surg/push/output.hpp"
#include "surg/push/presets.hpp"

namespace surg::push {

struct Plan {
  std::vector<Destination> destinations;
  EncodeSettings settings;
  OutputConfig output;       // streams filled in once the encoders exist
  bool test_stream = false;  // --test-stream: publications without consent
};

// Throws UsageError (exit 2) on a bad option, preset rule, secret file or a secret in a URL,
// ConsentError (exit 3) when something is published with neither --consent nor
// --test-stream, RuntimeError (exit 1) when a file or HLS destination cannot be written.
Plan make_plan(const Options& options);

// Why `info` is not a test stream (doc/privacy.md): it must be written by a surg tool (no
// foreign muxer) and its chain be surg stages only, starting at capture:test-pattern.
std::optional<std::string> test_stream_refusal(const media::StreamInfo& info);
// Under --test-stream: throws ConsentError (exit 3) unless the input is a test stream, and
// says loudly (a warning) what is published. No-op otherwise.
void admit_test_stream(const Plan& plan, const media::StreamInfo& info);
// The line --stats carries under --test-stream.
std::string test_stream_warning();

}  // namespace surg::push
