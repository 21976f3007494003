#include "surg/console/board.hpp"

#include <chrono>
#include <fstream>

#include <spdlog/spdlog.h>

#include "surg/control/control.hpp"

namespace surg::console {

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void Board::apply(const nlohmann::json& record, std::int64_t now_ms) {
  if (!record.is_object() || !record.contains("tool") || !record["tool"].is_string() ||
      !record.contains("type") || !record["type"].is_string())
    return;
  const std::string tool = record["tool"].get<std::string>();
  const std::string type = record["type"].get<std::string>();
  if (tool == "surg-console") return;  // our own audit trail
  const nlohmann::json data =
      record.contains("data") && record["data"].is_object() ? record["data"] : nlohmann::json::object();
  nlohmann::json& stage = stages_[tool];
  if (!stage.is_object()) stage = nlohmann::json::object();  // value() throws on null
  stage["seen_ms"] = now_ms;
  stage["records"] = stage.value("records", 0) + 1;
  if (tool == "surg-anonymize")
    apply_anonymize(type, data, record, stage);
  else if (tool == "surg-push")
    apply_push(type, data, now_ms, stage);
  else if (tool == "surg-capture" && type == "drop")
    stage["dropped"] = data.value("frames_dropped", 0);
  else if (tool == "surg-annotate" && (type == "mark" || type == "caption"))
    stage["last_" + type] = {{"text", data.value(type == "mark" ? "label" : "text", "")}, {"at_ms", now_ms}};
}

void Board::apply_anonymize(const std::string& type, const nlohmann::json& data, const nlohmann::json& record,
                            nlohmann::json& stage) {
  if (type == "frame") {
    stage["frames"] = data.value("frame", std::int64_t{0}) + 1;
  } else if (type == "slate") {
    const bool on = data.value("on", false);
    const std::string reason = data.value("reason", "");
    stage["slate"] = on ? nlohmann::json{{"on", true}, {"reason", reason}} : nlohmann::json{{"on", false}};
    if (on && record.contains("pts") && record["pts"].is_number_integer()) {
      slate_start_.pts = record["pts"].get<std::int64_t>();
      slate_start_.tb = record.value("tb", "");
      slate_start_.reason = reason;
      ++slate_start_.seq;
    }
  }
}

void Board::apply_push(const std::string& type, const nlohmann::json& data, std::int64_t now_ms,
                       nlohmann::json& stage) {
  if (type == "output" && data.contains("dest") && data["dest"].is_string()) {
    nlohmann::json& out = outputs_[data["dest"].get<std::string>()];
    if (!out.is_object()) out = nlohmann::json::object();  // the first record of this output
    const std::string state = data.value("state", "");
    // The reason of a failure stays shown while reconnecting, and goes with "connected".
    const nlohmann::json reason = data.contains("reason") ? data["reason"]
                                  : state == "connected"  ? nlohmann::json()
                                                          : out.value("reason", nlohmann::json());
    out.update({{"dest", data["dest"]},
                {"kind", data.value("kind", "")},
                {"state", state},
                {"since_ms", now_ms},
                {"reason", reason}});
    if (data.contains("delay_ms"))
      out["retry_at_ms"] = now_ms + data.value("delay_ms", std::int64_t{0});
    else
      out.erase("retry_at_ms");
    if (state == "withdrawn") {
      if (!consent_.is_object()) consent_ = nlohmann::json::object();
      consent_["state"] = "withdrawn";
      if (!reason.is_null()) consent_["reason"] = reason;
      consent_["since_ms"] = now_ms;
    }
  } else if (type == "progress") {
    for (const char* k : {"frames", "seconds", "dropped"})
      if (data.contains(k)) stage[k] = data[k];
    if (data.contains("outputs") && data["outputs"].is_array())
      for (const auto& o : data["outputs"]) {
        if (!o.is_object() || !o.contains("dest") || !o["dest"].is_string()) continue;
        nlohmann::json& out = outputs_[o["dest"].get<std::string>()];
        if (!out.is_object()) out = nlohmann::json::object();
        out["dest"] = o["dest"];
        for (const char* k : {"kind", "kbps", "bytes", "seconds"})
          if (o.contains(k)) out[k] = o[k];
        if (!out.contains("state") && o.contains("state")) out["state"] = o["state"];
      }
  } else if (type == "consent") {
    // {"case","covers":[...],"expires","state":"in-force"|"withdrawn","reason"} (surg-push(1))
    const bool keep_withdrawn = consent_.is_object() && consent_.value("state", "") == "withdrawn" &&
                                data.value("state", "") != "withdrawn";
    nlohmann::json merged = consent_.is_object() ? consent_ : nlohmann::json::object();
    merged.update(data);
    if (keep_withdrawn) merged["state"] = "withdrawn";  // a withdrawal is never undone here
    if (data.value("state", "") == "withdrawn") merged["since_ms"] = now_ms;
    consent_ = merged;
  } else if (type == "limit") {
    stage["limit"] = data;
  } else if (type == "dropped") {
    stage["dropped_gops"] = stage.value("dropped_gops", 0) + data.value("gops", 0);
  }
}

nlohmann::json Board::snapshot() const {
  nlohmann::json outputs = nlohmann::json::array();
  for (const auto& [dest, o] : outputs_) outputs.push_back(o);
  return {{"stages", stages_}, {"outputs", outputs}, {"consent", consent_}};
}

Watcher::Watcher(std::vector<std::string> files, std::string run_dir, Sink sink)
    : files_(std::move(files)), run_dir_(std::move(run_dir)), sink_(std::move(sink)) {}

Watcher::~Watcher() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void Watcher::start() {
  if (files_.empty() && run_dir_.empty()) return;
  thread_ = std::thread([this] {
    while (!stop_) {
      poll_once();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
}

void Watcher::poll_once() {
  std::vector<std::string> paths = files_;
  if (!run_dir_.empty()) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(run_dir_, ec))
      if (entry.path().extension() == ".jsonl") paths.push_back(entry.path().string());
  }
  for (const auto& path : paths) {
    std::error_code ec;
    if (!own_.empty() && std::filesystem::equivalent(path, own_, ec)) continue;
    follow(path, followed_[path]);
  }
}

void Watcher::follow(const std::string& path, Followed& f) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return;                                         // not there yet
  if (size < f.offset) f = {0, control::LineSplitter()};  // truncated: a new run of that stage
  if (size == f.offset) return;
  std::ifstream in(path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(f.offset));
  std::string chunk(static_cast<std::size_t>(std::min<std::uintmax_t>(size - f.offset, 4 << 20)), '\0');
  in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
  chunk.resize(static_cast<std::size_t>(in.gcount()));
  f.offset += chunk.size();
  const std::int64_t now = wall_ms();
  f.lines.feed(chunk, [&](std::string_view line) {
    if (control::nesting_exceeds(line, control::kMaxJsonDepth)) return;
    const auto record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_discarded()) return;
    // A record of an unexpected shape must never stop the stream: it is skipped.
    try {
      sink_(record, now);
    } catch (const nlohmann::json::exception& e) {
      spdlog::debug("events record of {} skipped: {}", path, e.what());
    }
  });
}

}  // namespace surg::console
