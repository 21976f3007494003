// Registry, model lookup errors and the test-only detectors.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

#include "surg/core/error.hpp"
#include "surg/detect/detector.hpp"

using namespace surg::detect;
namespace fs = std::filesystem;

namespace {
fs::path temp_dir(const std::string& name) {
  auto dir = fs::temp_directory_path() / ("surg-detect-test-" + name + "-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}
}  // namespace

TEST_CASE("the registry lists every detector, test-only ones marked") {
  std::vector<std::string> names;
  for (const auto& d : detectors()) {
    names.push_back(d.name);
    CHECK_FALSE(d.description.empty());
    const bool test_only = d.description.find("TEST ONLY") != std::string::npos;
    CHECK(test_only == (d.name == "scripted" || d.name == "failing" || d.name == "stalling"));
  }
  CHECK(names == std::vector<std::string>{"blazeface", "haar", "yunet", "scripted", "failing", "stalling"});
  CHECK_THROWS_AS(make_detector("yolo", {}), surg::UsageError);
}

TEST_CASE("a missing model file is a RuntimeError naming the file") {
  const std::pair<std::string, std::string> detectors[] = {
      {"blazeface", "face_detection_front_128x128_barracuda.onnx"}, {"yunet", "yunet_n_640_640.onnx"}};
  for (const auto& [name, file] : detectors) {
    DetectorConfig config;
    config.model_dir = temp_dir("nomodel-" + name).string();
    try {
      make_detector(name, config);
      FAIL(name << ": no error");
    } catch (const surg::RuntimeError& e) {
      CHECK_THAT(e.what(), Catch::Contains(config.model_dir + "/" + file));
    }
  }
}

TEST_CASE("an unreadable model file is a RuntimeError naming the file") {
  const auto dir = temp_dir("badmodel");
  std::ofstream(dir / "face_detection_front_128x128_barracuda.onnx") << "not onnx";
  DetectorConfig config;
  config.model_dir = dir.string();
  CHECK_THROWS_WITH(make_detector("blazeface", config), Catch::Contains("face_detection_front_128x128"));
}

TEST_CASE("find_model_dir takes SURG_MODEL_DIR as given") {
  const char* old = std::getenv("SURG_MODEL_DIR");
  const std::string saved = old ? old : "";
  ::setenv("SURG_MODEL_DIR", "/nonexistent/models", 1);
  CHECK(find_model_dir() == "/nonexistent/models");
  if (old)
    ::setenv("SURG_MODEL_DIR", saved.c_str(), 1);
  else
    ::unsetenv("SURG_MODEL_DIR");
}

TEST_CASE("scripted: boxes on the scripted calls only") {
  const auto file = temp_dir("script") / "faces.txt";
  std::ofstream(file) << "# frame x y w h\n0 10 20 30 40\n\n2 1 2 3 4\n2 5 6 7 8\n";
  DetectorConfig config;
  config.script = file.string();
  auto d = make_detector("scripted", config);
  const cv::Mat frame(48, 64, CV_8UC3, cv::Scalar::all(0));
  const auto first = d->detect(frame);
  REQUIRE(first.size() == 1);
  CHECK(first[0].rect == cv::Rect2f(10, 20, 30, 40));
  CHECK(d->detect(frame).empty());
  CHECK(d->detect(frame).size() == 2);
  CHECK(d->detect_tiles(frame, 99).empty());  // counts calls, not frame indices
  CHECK(d->full_cycle(frame.size()) == 1);
}

TEST_CASE("scripted: a bad line names file and line; a missing file is an error") {
  const auto file = temp_dir("badscript") / "faces.txt";
  std::ofstream(file) << "0 1 2 3 4\n1 2 three 4 5\n";
  DetectorConfig config;
  config.script = file.string();
  CHECK_THROWS_WITH(make_detector("scripted", config), Catch::Contains(file.string() + ":2"));
  config.script = (file.parent_path() / "absent.txt").string();
  CHECK_THROWS_AS(make_detector("scripted", config), surg::RuntimeError);
}

TEST_CASE("failing throws RuntimeError; stalling takes far longer than a frame") {
  const cv::Mat frame(48, 64, CV_8UC3, cv::Scalar::all(0));
  CHECK_THROWS_AS(make_detector("failing", {})->detect(frame), surg::RuntimeError);
  auto stalling = make_detector("stalling", {});
  const auto start = std::chrono::steady_clock::now();
  CHECK(stalling->detect(frame).empty());
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(1900));
}
