// Detectors for tests of the anonymize tool (listed as such by --list-detectors): a scripted
// one that returns boxes from a file, one that always throws, one that stalls.
#if SURG_TEST_HOOKS  // the test suite's build only (registry.cpp)
#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "surg/core/error.hpp"
#include "surg/detect/faces.hpp"

namespace surg::detect {
namespace {

using Script = std::map<std::int64_t, std::vector<Box>>;

// Lines "FRAME x y w h" (pixels); blank lines and '#' comments ignored.
Script read_script(const std::string& path) {
  if (path.empty()) throw UsageError("the scripted detector needs a script file");
  std::ifstream in(path);
  if (!in) throw RuntimeError("cannot read detector script " + path);
  Script script;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos || line[line.find_first_not_of(" \t")] == '#')
      continue;
    std::istringstream fields(line);
    std::int64_t frame = 0;
    float x = 0, y = 0, w = 0, h = 0;
    std::string extra;
    if (!(fields >> frame >> x >> y >> w >> h) || (fields >> extra) || frame < 0 || w <= 0 || h <= 0) {
      throw InputError(path + ":" + std::to_string(number) + ": expected 'FRAME x y w h', got '" + line +
                       "'");
    }
    script[frame].push_back({cv::Rect2f(x, y, w, h), 1.0f});
  }
  return script;
}

class ScriptedDetector : public Detector {
 public:
  explicit ScriptedDetector(const DetectorConfig& config) : script_(read_script(config.script)) {}
  std::string name() const override { return "scripted"; }
  std::vector<Box> detect(const cv::Mat&) override {
    auto it = script_.find(calls_++);
    return it == script_.end() ? std::vector<Box>{} : it->second;
  }

 private:
  Script script_;
  std::int64_t calls_ = 0;
};

class FailingDetector : public Detector {
 public:
  std::string name() const override { return "failing"; }
  std::vector<Box> detect(const cv::Mat&) override {
    throw RuntimeError("the 'failing' test detector failed, as it always does");
  }
};

class StallingDetector : public Detector {
 public:
  static constexpr std::chrono::seconds kStall{2};
  std::string name() const override { return "stalling"; }
  std::vector<Box> detect(const cv::Mat&) override {
    std::this_thread::sleep_for(kStall);
    return {};
  }
};

}  // namespace

std::unique_ptr<Detector> make_scripted(const DetectorConfig& c) {
  return std::make_unique<ScriptedDetector>(c);
}
std::unique_ptr<Detector> make_failing(const DetectorConfig&) { return std::make_unique<FailingDetector>(); }
std::unique_ptr<Detector> make_stalling(const DetectorConfig&) {
  return std::make_unique<StallingDetector>();
}

}  // namespace surg::detect
#endif  // SURG_TEST_HOOKS
