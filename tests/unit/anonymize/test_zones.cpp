#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

#include "surg/anonymize/zones.hpp"
#include "surg/core/error.hpp"

using namespace surg::anonymize;

TEST_CASE("zone profiles parse relative rectangles") {
  const auto zones = parse_zones(R"(
[[zone]]
name = "patient"
x = 0.0
y = 0.0
w = 0.25
h = 0.1

[[zone]]
name = "clock"
x = 0.75
y = 0.9
w = 0.25
h = 0.1
)",
                                 "t.toml");
  REQUIRE(zones.size() == 2);
  CHECK(zones[0].name == "patient");
  CHECK(zone_pixels(zones[0], {1280, 720}) == cv::Rect(0, 0, 320, 72));
  CHECK(zone_pixels(zones[1], {1920, 1080}) == cv::Rect(1440, 972, 480, 108));
  CHECK(zone_pixels(zones[1], {641, 361}) == cv::Rect(480, 324, 161, 37));  // rounded outward
}

TEST_CASE("bad zone profiles name the file and line") {
  auto error_of = [](const std::string& text) {
    try {
      parse_zones(text, "z.toml");
    } catch (const surg::UsageError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(error_of("[[zone]]\nx = 0.5\ny = 0\nw = 0.6\nh = 0.1\n"), Catch::Contains("inside 0..1"));
  CHECK_THAT(error_of("[[zone]]\nx = 0\ny = 0\nw = 0.1\nh = 0.1\ncolour = 1\n"),
             Catch::Contains("z.toml:6") && Catch::Contains("colour"));
  CHECK_THAT(error_of("[[zone]]\nx = 0\ny = 0\nw = 0.1\n"), Catch::Contains("lacks 'h'"));
  CHECK_THAT(error_of("[[zone]]\nx = 0\ny = 1.5\nw = 0.1\nh = 0.1\n"), Catch::Contains("z.toml:3"));
  CHECK_THAT(error_of("[[zone]\n"), Catch::Contains("z.toml:1"));
  CHECK_THAT(error_of("title = 'x'\n"), Catch::Contains("unknown key 'title'"));
  CHECK_THAT(error_of(""), Catch::Contains("no [[zone]]"));
}

TEST_CASE("the shipped example profiles load") {
  for (const char* name : {"test-pattern.toml", "tower-generic.toml"}) {
    INFO(name);
    CHECK_FALSE(load_zones(std::string(SURG_SOURCE_DIR) + "/examples/zones/" + name).empty());
  }
}

TEST_CASE("the circle is found from the dark border, text beside it ignored") {
  cv::Mat luma(720, 1280, CV_8UC1, cv::Scalar(16));
  cv::circle(luma, {640, 360}, 331, cv::Scalar(140), cv::FILLED);
  cv::circle(luma, {600, 330}, 80, cv::Scalar(20), cv::FILLED);  // a dark lumen inside
  cv::putText(luma, "DOE^JANE 1970-01-01", {10, 40}, cv::FONT_HERSHEY_SIMPLEX, 0.8, cv::Scalar(235), 2);
  const auto c = CircleFinder::find(luma);
  REQUIRE(c);
  CHECK(std::abs(c->centre.x - 640) < 6);
  CHECK(std::abs(c->centre.y - 360) < 6);
  CHECK(c->radius > 331);
  CHECK(c->radius < 345);
}

TEST_CASE("a circle cut by the frame edges is still found whole") {
  cv::Mat luma(720, 1280, CV_8UC1, cv::Scalar(16));
  cv::circle(luma, {640, 360}, 420, cv::Scalar(140), cv::FILLED);  // taller than the frame
  const auto c = CircleFinder::find(luma);
  REQUIRE(c);
  CHECK(c->radius >= 420 - 2);  // encloses every visible image pixel
  CHECK(std::abs(c->centre.x - 640) < 6);
}

TEST_CASE("without a dark border the fixed circle is used, and a found one is kept") {
  cv::Mat bright(480, 640, CV_8UC1, cv::Scalar(180));
  CHECK_FALSE(CircleFinder::find(bright));
  CircleFinder finder;
  const Circle c = finder.update(bright, 0);
  CHECK(c.radius == 240);
  CHECK(c.centre == cv::Point2f(320, 240));
  CHECK_FALSE(finder.found());
  cv::Mat scope(480, 640, CV_8UC1, cv::Scalar(16));
  cv::circle(scope, {320, 240}, 200, cv::Scalar(140), cv::FILLED);
  CHECK(std::abs(finder.update(scope, CircleFinder::kEvery).radius - 200) < 8);
  CHECK(std::abs(finder.update(bright, 2 * CircleFinder::kEvery).radius - 200) < 8);  // a white flash
}
