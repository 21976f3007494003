// Folding the other stages' events into what the panel shows (lib/surg/console/board.hpp).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "surg/console/board.hpp"
#include "surg/console/preview.hpp"

using namespace surg::console;
using nlohmann::json;

namespace {
json rec(const std::string& tool, const std::string& type, json data, std::optional<std::int64_t> pts = {}) {
  json r = {{"v", 1}, {"tool", tool}, {"type", type}, {"data", data}};
  if (pts) r["pts"] = *pts, r["tb"] = "1/90000";
  return r;
}
}  // namespace

TEST_CASE("the anonymiser's slate and frames") {
  Board b;
  b.apply(rec("surg-anonymize", "frame", {{"frame", 41}, {"slate", nullptr}}), 1000);
  b.apply(rec("surg-anonymize", "slate", {{"on", true}, {"reason", "privacy"}}, 3003), 1001);
  auto s = b.snapshot();
  CHECK(s["stages"]["surg-anonymize"]["frames"] == 42);
  CHECK(s["stages"]["surg-anonymize"]["slate"] == json({{"on", true}, {"reason", "privacy"}}));
  CHECK(b.last_slate_start().pts == 3003);
  CHECK(b.last_slate_start().reason == "privacy");
  CHECK(b.last_slate_start().seq == 1);
  b.apply(rec("surg-anonymize", "slate", {{"on", false}, {"reason", "privacy"}, {"frames", 30}}, 6006), 1002);
  CHECK(b.snapshot()["stages"]["surg-anonymize"]["slate"]["on"] == false);
  CHECK(b.last_slate_start().seq == 1);  // an end is not a start
}

TEST_CASE("outputs: state, countdown to the next attempt, progress") {
  Board b;
  b.apply(
      rec("surg-push", "output", {{"dest", "rtmp://h/live/****"}, {"kind", "rtmp"}, {"state", "connected"}}),
      1000);
  b.apply(rec("surg-push", "output",
              {{"dest", "rtmp://h/live/****"},
               {"kind", "rtmp"},
               {"state", "reconnecting"},
               {"reason", "Connection refused"},
               {"attempt", 2},
               {"delay_ms", 4000}}),
          2000);
  b.apply(rec("surg-push", "progress",
              {{"frames", 300},
               {"seconds", 10.0},
               {"dropped", 3},
               {"outputs",
                {{{"dest", "rec.mkv"},
                  {"kind", "file"},
                  {"state", "connected"},
                  {"kbps", 2500},
                  {"bytes", 3000000},
                  {"seconds", 10.0}}}}}),
          2100);
  auto s = b.snapshot();
  REQUIRE(s["outputs"].size() == 2);
  json rtmp, file;
  for (const auto& o : s["outputs"]) (o["kind"] == "file" ? file : rtmp) = o;
  CHECK(rtmp["state"] == "reconnecting");
  CHECK(rtmp["retry_at_ms"] == 6000);
  CHECK(rtmp["reason"] == "Connection refused");
  CHECK(file["bytes"] == 3000000);
  CHECK(file["state"] == "connected");
  CHECK(s["stages"]["surg-push"]["frames"] == 300);
  b.apply(
      rec("surg-push", "output", {{"dest", "rtmp://h/live/****"}, {"kind", "rtmp"}, {"state", "connected"}}),
      7000);
  for (const auto& o : b.snapshot()["outputs"])
    if (o["kind"] == "rtmp") {
      CHECK(o["reason"].is_null());
      CHECK_FALSE(o.contains("retry_at_ms"));
    }
}

TEST_CASE("an output's first record may be any state, with or without a reason") {
  Board b;
  b.apply(rec("surg-push", "output",
              {{"dest", "rtmps://h/live/****"}, {"kind", "rtmp"}, {"state", "connecting"}}),
          1000);
  b.apply(rec("surg-push", "dropped", {{"dest", "rtmps://h/live/****"}, {"packets", 3}, {"gops", 1}}), 1000);
  auto s = b.snapshot();
  REQUIRE(s["outputs"].size() == 1);
  CHECK(s["outputs"][0]["state"] == "connecting");
  CHECK(s["stages"]["surg-push"]["dropped_gops"] == 1);
}

TEST_CASE("consent: in force, then withdrawn for good") {
  Board b;
  CHECK(b.snapshot()["consent"].is_null());
  b.apply(rec("surg-push", "consent",
              {{"case", "CASE-1"},
               {"state", "in-force"},
               {"covers", {"recording"}},
               {"expires", "2099-12-31T00:00:00Z"}}),
          1000);
  CHECK(b.snapshot()["consent"]["case"] == "CASE-1");
  b.apply(rec("surg-push", "output",
              {{"dest", "rtmp://h/live/****"},
               {"kind", "rtmp"},
               {"state", "withdrawn"},
               {"reason", "CASE-1: revoked"}}),
          2000);
  CHECK(b.snapshot()["consent"]["state"] == "withdrawn");
  b.apply(rec("surg-push", "consent", {{"case", "CASE-1"}, {"state", "in-force"}}), 3000);
  CHECK(b.snapshot()["consent"]["state"] == "withdrawn");
  CHECK(b.snapshot()["consent"]["expires"] == "2099-12-31T00:00:00Z");
}

TEST_CASE("records that are not the stages' are ignored") {
  Board b;
  b.apply(json::array(), 1);
  b.apply({{"tool", 3}, {"type", "x"}}, 1);
  b.apply(rec("surg-console", "action", {{"summary", "x"}}), 1);
  b.apply(rec("surg-push", "output", {{"dest", 7}}), 1);
  CHECK(b.snapshot()["outputs"].empty());
  CHECK_FALSE(b.snapshot()["stages"].contains("surg-console"));
}

TEST_CASE("the watcher follows a log as it grows, line by line, and re-reads a truncated one") {
  char tmpl[] = "/tmp/surg-console-watch.XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  const std::string path = dir + "/push.jsonl";
  std::vector<json> got;
  Watcher w({path}, "", [&](const json& r, std::int64_t) { got.push_back(r); });
  w.poll_once();  // not there yet
  CHECK(got.empty());
  {
    std::ofstream out(path);
    out << R"({"tool":"surg-push","type":"progress","data":{}})"
        << "\n"
        << R"({"tool":"surg-push","ty)";
  }
  w.poll_once();
  CHECK(got.size() == 1);
  {
    std::ofstream out(path, std::ios::app);
    out << R"(pe":"output","data":{}})"
        << "\nnot json\n"
        << std::string(40, '[') << "\n";
  }
  w.poll_once();
  REQUIRE(got.size() == 2);
  CHECK(got[1]["type"] == "output");
  std::ofstream(path) << R"({"tool":"surg-push","type":"consent","data":{}})"
                      << "\n";  // a new run
  w.poll_once();
  REQUIRE(got.size() == 3);
  CHECK(got[2]["type"] == "consent");
  {
    // A line over the control limit is dropped whole, over several reads; the next one is read.
    std::ofstream out(path, std::ios::app);
    out << R"({"tool":"surg-push","type":"x","data":")" << std::string(surg::control::kMaxLineBytes, 'a');
  }
  w.poll_once();
  std::ofstream(path, std::ios::app) << "\"}}\n"
                                     << R"({"tool":"surg-push","type":"finished","data":{}})"
                                     << "\n";
  w.poll_once();
  REQUIRE(got.size() == 4);
  CHECK(got[3]["type"] == "finished");
  std::filesystem::remove_all(dir);
}

TEST_CASE("audio level and mute") {
  const std::int16_t silent[4] = {0, 0, 0, 0};
  CHECK(peak_dbfs(silent, 4) == -120.0);
  const std::int16_t full[2] = {-32768, 100};
  CHECK(peak_dbfs(full, 2) == Approx(0.0));
  const std::int16_t half[2] = {16384, -2};
  CHECK(peak_dbfs(half, 2) == Approx(-6.02).margin(0.01));
  AVPacket* p = av_packet_alloc();
  REQUIRE(av_new_packet(p, 8) == 0);
  for (int i = 0; i < 8; ++i) p->data[i] = 0x55;
  AVPacket* shared = av_packet_clone(p);  // the buffer is shared: silencing must not touch the other
  CHECK(silence(*p));
  for (int i = 0; i < 8; ++i) CHECK(p->data[i] == 0);
  CHECK(shared->data[0] == 0x55);
  av_packet_free(&p);
  av_packet_free(&shared);
}
