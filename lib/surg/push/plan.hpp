#pragma once
// What surg-push will do, checked before the input is read: destinations, secrets and
// encode settings.
#include <vector>

#include "surg/push/destination.hpp"
#include "surg/push/options.hpp"
#include "surg/push/output.hpp"
#include "surg/push/presets.hpp"

namespace surg::push {

struct Plan {
  std::vector<Destination> destinations;
  EncodeSettings settings;
  OutputConfig output;  // streams filled in once the encoders exist
};

// Throws UsageError (exit 2) on a bad option, preset rule or secret file, RuntimeError
// (exit 1) when a file or HLS destination cannot be written.
Plan make_plan(const Options& options);

}  // namespace surg::push
