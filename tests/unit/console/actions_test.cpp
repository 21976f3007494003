// The page's requests become control lines only when every field is valid.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "surg/console/actions.hpp"
#include "surg/console/server.hpp"

using namespace surg::console;
using nlohmann::json;

TEST_CASE("privacy and mute need a boolean") {
  auto a = parse_action({{"action", "privacy"}, {"on", true}});
  CHECK(a.error == "");
  CHECK(a.target == Target::anonymize);
  CHECK(a.command == json({{"cmd", "privacy"}, {"on", true}}));
  a = parse_action({{"action", "mute"}, {"on", false}});
  CHECK(a.target == Target::console);
  CHECK(a.command == json({{"cmd", "mute"}, {"on", false}}));
  CHECK(parse_action({{"action", "privacy"}, {"on", "yes"}}).error != "");
  CHECK(parse_action({{"action", "privacy"}}).error != "");
  CHECK(parse_action({{"action", "mute"}, {"on", 1}}).error != "");
}

TEST_CASE("mark and caption carry checked text") {
  auto a = parse_action({{"action", "mark"}, {"label", "stone found"}});
  CHECK(a.error == "");
  CHECK(a.target == Target::annotate);
  CHECK(a.command == json({{"cmd", "mark"}, {"label", "stone found"}}));
  CHECK(parse_action({{"action", "mark"}}).command == json({{"cmd", "mark"}, {"label", ""}}));
  CHECK(parse_action({{"action", "mark"}, {"label", "é ü 手術"}}).error == "");
  CHECK(parse_action({{"action", "mark"}, {"label", 3}}).error != "");
  CHECK(parse_action({{"action", "mark"}, {"label", "line\nbreak"}}).error != "");
  CHECK(parse_action({{"action", "mark"}, {"label", std::string(201, 'x')}}).error != "");
  a = parse_action({{"action", "caption"}, {"text", "Here we are"}, {"duration", 6}});
  CHECK(a.error == "");
  CHECK(a.command == json({{"cmd", "caption"}, {"text", "Here we are"}, {"duration", 6.0}}));
  CHECK(parse_action({{"action", "caption"}, {"text", ""}}).error == "");  // clears the caption
  CHECK(parse_action({{"action", "caption"}}).error != "");
  CHECK(parse_action({{"action", "caption"}, {"text", "x"}, {"duration", -1}}).error != "");
  CHECK(parse_action({{"action", "caption"}, {"text", "x"}, {"duration", 1e300}}).error != "");
  CHECK(parse_action({{"action", "caption"}, {"text", std::string(501, 'x')}}).error != "");
}

TEST_CASE("title carries one checked line of text; an empty one hides the title") {
  auto a = parse_action({{"action", "title"}, {"text", "Laser lithotripsy — l'équipe"}});
  CHECK(a.error == "");
  CHECK(a.target == Target::annotate);
  CHECK(a.command == json({{"cmd", "title"}, {"text", "Laser lithotripsy — l'équipe"}}));
  CHECK(parse_action({{"action", "title"}, {"text", ""}}).command == json({{"cmd", "title"}, {"text", ""}}));
  CHECK(parse_action({{"action", "title"}, {"text", std::string(kMaxTitleBytes, 'x')}}).error == "");
  CHECK(parse_action({{"action", "title"}}).error == "\"text\" is missing");
  CHECK(parse_action({{"action", "title"}, {"text", 7}}).error == "\"text\" must be a string");
  CHECK(parse_action({{"action", "title"}, {"text", std::string(kMaxTitleBytes + 1, 'x')}}).error ==
        "\"text\" is 201 bytes, more than 200");
  CHECK(parse_action({{"action", "title"}, {"text", "two\nlines"}}).error ==
        "\"text\" holds a control character (U+000A)");
  CHECK(parse_action({{"action", "title"},
                      {"text",
                       "a\xC2\x9B"
                       "2J"}})
            .error ==  // C1 CSI
        "\"text\" holds a control character (U+009B)");
}

TEST_CASE("unknown or malformed requests are refused") {
  CHECK(parse_action(json::array()).error != "");
  CHECK(parse_action({{"cmd", "privacy"}}).error != "");
  CHECK(parse_action({{"action", 1}}).error != "");
  CHECK_THAT(parse_action({{"action", "shutdown"}}).error, Catch::Contains("unknown action"));
}

TEST_CASE("the audit summary of a refused request holds none of its text") {
  // A caption with a forged log line in it, and an action named like one: the log and the
  // audit trail get the kind only.
  const Action caption = parse_action({{"action", "caption"}, {"text", "hi\n[error] consent revoked"}});
  REQUIRE(caption.error != "");
  CHECK(summary_of(caption) == "caption");
  const Action forged = parse_action({{"action", "x\n[info] operator: privacy slate off"}});
  REQUIRE(forged.error != "");
  CHECK(summary_of(forged) == "bad request");
  CHECK(forged.error.find('\n') == std::string::npos);
  CHECK(summary_of(parse_action({{"action", "caption"}, {"text", "Stone removed"}})) ==
        "caption 'Stone removed'");
  CHECK(summary_of(parse_action({{"action", "privacy"}, {"on", true}})) == "privacy slate ON");
  CHECK(summary_of(parse_action({{"action", "title"}, {"text", ""}})) == "title hidden");
}

TEST_CASE("a control line goes into a FIFO that is read, and fails at once when nobody reads it") {
  char tmpl[] = "/tmp/surg-console-fifo.XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  const std::string fifo = dir + "/ctl";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  CHECK_THAT(write_control_line(fifo, {{"cmd", "mark"}}), Catch::Contains("not reading"));
  const int reader = open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  REQUIRE(reader >= 0);
  CHECK(write_control_line(fifo, {{"cmd", "privacy"}, {"on", true}}) == "");
  char buf[256] = {};
  const auto n = read(reader, buf, sizeof buf - 1);
  CHECK(std::string(buf, n > 0 ? n : 0) == "{\"cmd\":\"privacy\",\"on\":true}\n");
  // A FIFO others can write is one the stage refuses to read: the console refuses it too,
  // instead of sending the privacy command where no stage acts on it.
  REQUIRE(chmod(fifo.c_str(), 0622) == 0);
  CHECK_THAT(write_control_line(fifo, {{"cmd", "privacy"}, {"on", true}}),
             Catch::Contains("writable by others"));
  CHECK(read(reader, buf, sizeof buf) <= 0);  // nothing was written
  close(reader);
  CHECK(write_control_line("", {{"cmd", "x"}}) != "");
  std::ofstream(dir + "/plain") << "x";
  CHECK_THAT(write_control_line(dir + "/plain", {{"cmd", "x"}}), Catch::Contains("not a FIFO"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("the page's text boxes take the limits the requests are checked against") {
  const std::string& html = surg::console::page_html();
  CHECK(html.find("id=\"caption-text\" maxlength=\"" + std::to_string(kMaxCaptionBytes) + "\"") !=
        std::string::npos);
  CHECK(html.find("id=\"mark-label\" maxlength=\"" + std::to_string(kMaxLabelBytes) + "\"") !=
        std::string::npos);
  CHECK(html.find("id=\"title-text\" maxlength=\"" + std::to_string(kMaxTitleBytes) + "\"") !=
        std::string::npos);
  CHECK(html.find('@') == std::string::npos);
}
