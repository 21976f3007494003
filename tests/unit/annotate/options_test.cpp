#include <catch2/catch.hpp>

#include <fstream>

#include "helpers.hpp"
#include "surg/annotate/options.hpp"
#include "surg/core/error.hpp"

using namespace surg::annotate;

namespace {

// Parses argv the way tool_main does (TakeLast), into Options.
Options parse(std::vector<std::string> args) {
  Options o;
  CLI::App app;
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  add_options(app, o);
  std::reverse(args.begin(), args.end());
  app.parse(args);
  return o;
}

}  // namespace

TEST_CASE("defaults: DejaVu fonts, bottom-left lower third, permanent title, en+fr slate") {
  const Plan s = make_plan(parse({"--title", "T", "--warning", "10s"}));
  CHECK(s.font == kDefaultFont);
  CHECK(s.font_bold == kDefaultBoldFont);
  CHECK(s.position == Corner::bottom_left);
  CHECK_FALSE(s.title_duration);
  CHECK(s.warning == surg::Micros(10'000'000));
  CHECK(s.warning_text.find("real surgery") != std::string::npos);
  CHECK(s.warning_text.find("véritable opération") != std::string::npos);
  CHECK(s.chain_settings() == std::vector<std::string>{"title", "warning"});
}

TEST_CASE("durations in every form, languages, corners") {
  const Plan s = make_plan(
      parse({"--title-duration", "1:30", "--caption-duration", "500ms", "--lang", "fr", "--position",
             "top-center", "--clock", "elapsed", "--clock-position", "bottom-right"}));
  CHECK(*s.title_duration == surg::Micros(90'000'000));
  CHECK(s.caption_duration == surg::Micros(500'000));
  CHECK(s.warning_text.rfind("AVERTISSEMENT", 0) == 0);
  CHECK(s.warning_text.find("surgery") == std::string::npos);
  CHECK(s.position == Corner::top_center);
  CHECK(s.clock == ClockMode::elapsed);
  CHECK(s.clock_position == Corner::bottom_right);
  CHECK_FALSE(make_plan(parse({"--title-duration", "0"})).title_duration);
  CHECK(make_plan(parse({"--warning-text", "Custom: 100%"})).warning_text == "Custom: 100%");
}

TEST_CASE("bad values and files are usage errors naming the option") {
  CHECK_THROWS_WITH(make_plan(parse({"--position", "middle"})),
                    Catch::StartsWith("--position middle: expected one of"));
  CHECK_THROWS_WITH(make_plan(parse({"--lang", "de"})), Catch::StartsWith("--lang de"));
  CHECK_THROWS_WITH(make_plan(parse({"--font", "/no/such.ttf"})), "--font /no/such.ttf: no such file");
  CHECK_THROWS_WITH(make_plan(parse({"--logo", "/no/logo.png"})), "--logo /no/logo.png: no such file");
  CHECK_THROWS_WITH(make_plan(parse({"--captions", "/tmp"})), "--captions /tmp: is a directory");
  CHECK_THROWS_AS(make_plan(parse({"--logo-position", "left"})), surg::UsageError);
  CHECK_THROWS_AS(parse({"--clock", "sundial"}), CLI::ValidationError);
  CHECK_THROWS_AS(parse({"--warning", "soon"}), CLI::ValidationError);
  CHECK_THROWS_AS(parse({"--logo-opacity", "1.5"}), CLI::ValidationError);
}

TEST_CASE("a title, from --title or the title command, is one line of UTF-8 of at most 256 bytes") {
  CHECK(make_plan(parse({"--title", "Urétéroscopie — 手術"})).title == "Urétéroscopie — 手術");
  CHECK(make_plan(parse({"--title", std::string(kMaxTitleBytes, 'x')})).title.size() == kMaxTitleBytes);
  CHECK_THROWS_WITH(make_plan(parse({"--title", std::string(kMaxTitleBytes + 1, 'x')})),
                    Catch::StartsWith("--title: the title is 257 bytes, more than 256"));
  CHECK_THROWS_WITH(make_plan(parse({"--title", "two\nlines"})),
                    Catch::StartsWith("--title: the title holds a control character (U+000A)"));
  CHECK_THROWS_WITH(make_plan(parse({"--title", "Ur\xE9t\xE9ro"})),
                    Catch::StartsWith("--title: the title is not valid UTF-8"));
  CHECK(title_problem("") == std::nullopt);  // no title
  CHECK(title_problem("a\x1b[2Jb") == "holds a control character (U+001B)");
}

TEST_CASE("a live caption is UTF-8 lines without control characters, within its byte limit") {
  CHECK(caption_problem("Here we are in the bladder") == std::nullopt);
  CHECK(caption_problem("two\nlines") == std::nullopt);
  CHECK(caption_problem("") == std::nullopt);  // clears the caption
  CHECK(caption_problem("a\rb") == "holds a control character (U+000D)");
  CHECK(caption_problem("ok\n\x1b]0;x\x07") == "holds a control character (U+001B)");
  CHECK(caption_problem("Ur\xE9t\xE9ro") == "is not valid UTF-8");
  CHECK(caption_problem(std::string(kMaxCaptionBytes, 'x')) == std::nullopt);
  CHECK(caption_problem(std::string(kMaxCaptionBytes + 1, 'x')) == "is 1001 bytes, more than 1000");
}

TEST_CASE("a malformed caption file is invalid input naming its line") {
  const std::string path = test::temp_path("bad.srt");
  std::ofstream(path) << "1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\nnot a timing\n";
  CHECK_THROWS_AS(make_plan(parse({"--captions", path})), surg::InputError);
  CHECK_THROWS_WITH(make_plan(parse({"--captions", path})),
                    Catch::StartsWith(path + ":6: expected a timing line"));
  std::remove(path.c_str());
}
