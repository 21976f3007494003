// BlazeFace on real photographs: a smoke test, recall on the labelled dlib photos (the metric
// of tests/eval: >= 90% of a labelled box inside the detector's boxes grown 10% a side), and
// the video schedule covering what a full pass covers.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "data.hpp"
#include "surg/detect/detector.hpp"

using namespace surg::detect;

namespace {

std::unique_ptr<Detector> blazeface() {
  DetectorConfig config;
  config.model_dir = test_model_dir();
  return make_detector("blazeface", config);
}

double covered(const cv::Rect& face, const std::vector<Box>& boxes, cv::Size size) {
  cv::Mat fill(size, CV_8U, cv::Scalar(0));
  for (const auto& b : boxes) {
    const auto& r = b.rect;
    cv::rectangle(fill,
                  cv::Rect2f(r.x - 0.1f * r.width, r.y - 0.1f * r.height, 1.2f * r.width, 1.2f * r.height),
                  255, cv::FILLED);
  }
  const cv::Rect box = face & cv::Rect({0, 0}, size);
  return cv::countNonZero(fill(box)) / static_cast<double>(face.area());
}

// dlib imglab XML: <image file='...'> <box top='' left='' width='' height=''/> ...
std::vector<std::pair<std::string, std::vector<cv::Rect>>> dlib_truth(const std::string& xml) {
  std::ifstream in(xml);
  std::stringstream text;
  text << in.rdbuf();
  const std::string s = text.str();
  const std::regex image("<image file='([^']+)'"),
      box("<box top='(-?\\d+)' left='(-?\\d+)' width='(\\d+)' height='(\\d+)'");
  std::vector<std::pair<std::string, std::vector<cv::Rect>>> out;
  for (std::sregex_iterator it(s.begin(), s.end(), image), end; it != end; ++it) {
    const auto from = it->position() + it->length();
    const auto next = s.find("</image>", from);
    out.push_back({(*it)[1], {}});
    const std::string body = s.substr(from, next - from);
    for (std::sregex_iterator b(body.begin(), body.end(), box); b != end; ++b) {
      out.back().second.emplace_back(std::stoi((*b)[2]), std::stoi((*b)[1]), std::stoi((*b)[3]),
                                     std::stoi((*b)[4]));
    }
  }
  return out;
}

}  // namespace

TEST_CASE("blazeface finds the face in messi5.jpg and none in a flat frame") {
  auto d = blazeface();
  const cv::Mat img = cv::imread(test_free_data_dir() + "/opencv/messi5.jpg");
  REQUIRE_FALSE(img.empty());
  const auto boxes = d->detect(img);
  REQUIRE_FALSE(boxes.empty());
  // Messi's face is around x 220..265, y 90..145 in this 548x342 picture.
  CHECK(std::any_of(boxes.begin(), boxes.end(), [](const Box& b) {
    return b.rect.contains({243, 115}) && b.rect.width < 80 && b.score > 0.8f;
  }));
  CHECK(d->detect(cv::Mat(480, 640, CV_8UC3, cv::Scalar(90, 120, 150))).empty());
}

TEST_CASE("blazeface protects the labelled faces of the dlib photos (>= 95%) (research data)", "[research]") {
  auto d = blazeface();
  int found = 0, total = 0;
  for (const char* xml : {"training.xml", "testing.xml"}) {
    for (const auto& [file, faces] : dlib_truth(test_data_dir() + "/dlib-faces/" + xml)) {
      const cv::Mat img = cv::imread(test_data_dir() + "/dlib-faces/" + file);
      REQUIRE_FALSE(img.empty());
      const auto boxes = d->detect(img);
      for (const auto& face : faces) {
        ++total;
        found += covered(face, boxes, img.size()) >= 0.9;
      }
    }
  }
  CHECK(total == 43);
  CHECK(found >= 0.95 * total);
}

TEST_CASE("one cycle of detect_tiles finds what detect finds") {
  auto d = blazeface();
  const cv::Mat img = cv::imread(test_free_data_dir() + "/face-mask/images/maksssksksss39.jpg");
  REQUIRE_FALSE(img.empty());
  const auto whole = d->detect(img);
  REQUIRE(whole.size() >= 2);  // its two labelled faces: the check below is not vacuous
  const int cycle = d->full_cycle(img.size());
  CHECK(cycle > 1);
  std::vector<Box> parts;
  for (int i = 0; i < cycle; ++i) {
    auto some = d->detect_tiles(img, 1000 + i);  // any run of `cycle` consecutive indices
    parts.insert(parts.end(), some.begin(), some.end());
  }
  for (const auto& b : whole) {
    INFO(b.rect);
    CHECK(covered(cv::Rect(b.rect), parts, img.size()) >= 0.9);
  }
}

TEST_CASE("haar finds a frontal face in messi5.jpg") {
  auto d = make_detector("haar", {});
  const cv::Mat img = cv::imread(test_free_data_dir() + "/opencv/messi5.jpg");
  REQUIRE_FALSE(img.empty());
  const auto boxes = d->detect(img);
  CHECK(std::any_of(boxes.begin(), boxes.end(), [](const Box& b) { return b.rect.contains({243, 115}); }));
}
