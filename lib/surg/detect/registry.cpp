#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "surg/core/data_path.hpp"
#include "surg/core/error.hpp"
#include "surg/detect/faces.hpp"

namespace surg::detect {
namespace fs = std::filesystem;

const std::vector<DetectorInfo>& detectors() {
  static const std::vector<DetectorInfo> list = {
    {"blazeface", "BlazeFace DNN (OpenCV), tiled for small faces, masks and caps (default)", make_blazeface},
    {"haar", "OpenCV Haar cascades, frontal + profile: fallback, weak on masked faces", make_haar},
    {"yunet", "YuNet n 640 (OpenCV DNN), whole frame: when its model is installed", make_yunet},
#if SURG_TEST_HOOKS
    // Test detectors exist only in the test suite's build (CMake SURG_TEST_HOOKS).
    {"scripted", "TEST ONLY: boxes read from a script file (lines 'FRAME x y w h')", make_scripted},
    {"failing", "TEST ONLY: throws on every frame (exercises fail-closed)", make_failing},
    {"stalling", "TEST ONLY: takes 2 s per frame (exercises --max-lag)", make_stalling},
#endif
  };
  return list;
}

std::unique_ptr<Detector> make_detector(const std::string& name, const DetectorConfig& config) {
  for (const auto& info : detectors()) {
    if (info.name != name) continue;
    DetectorConfig resolved = config;
    if (resolved.model_dir.empty()) resolved.model_dir = find_model_dir();
    return info.make(resolved);
  }
  std::string known;
  for (const auto& info : detectors()) known += (known.empty() ? "" : ", ") + info.name;
  throw UsageError("unknown detector '" + name + "' (known: " + known + ")");
}

std::string find_model_dir() {
  if (const char* env = std::getenv("SURG_MODEL_DIR"); env && *env) return env;
  std::error_code ec;
  const auto candidates = data_candidates("models");
  for (const auto& dir : candidates) {
    if (fs::is_directory(dir, ec)) return dir.lexically_normal().string();
  }
  return candidates.back().string();
}

}  // namespace surg::detect
