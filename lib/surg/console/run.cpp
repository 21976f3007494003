#include "surg/console/run.hpp"

#include <chrono>
#include <ctime>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "surg/console/actions.hpp"
#include "surg/console/preview.hpp"
#include "surg/console/server.hpp"
#include "surg/core/error.hpp"
#include "surg/core/signals.hpp"

namespace surg::console {
namespace {

std::string iso_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
  return out;
}

AVRational parse_tb(const std::string& text, AVRational fallback) {
  int num = 0, den = 0;
  if (std::sscanf(text.c_str(), "%d/%d", &num, &den) == 2 && num > 0 && den > 0) return {num, den};
  return fallback;
}

// When each recent frame left the console: enough to answer "when did the frame with this pts
// go out" for a slate start surg-anonymize reported (its events may be read before or after
// the frame passes here).
class Departures {
 public:
  void add(std::int64_t pts, std::int64_t ms) {
    ring_.push_back({pts, ms});
    if (ring_.size() > 600) ring_.pop_front();
  }
  // The time the first frame at or after `pts` left, or -1 when none has yet.
  std::int64_t find(std::int64_t pts) const {
    for (const auto& [p, ms] : ring_)
      if (p >= pts) return ms;
    return -1;
  }

 private:
  std::deque<std::pair<std::int64_t, std::int64_t>> ring_;
};

}  // namespace

Desk::Desk(const Settings& settings, events::Emitter events)
    : settings_(settings), events_(std::move(events)), muted_(settings.start_muted) {}

void Desk::emit(const std::string& type, nlohmann::json data) {
  std::lock_guard lock(mutex_);  // the media loop and the server threads share the log
  events_.emit(type, std::move(data));
}

void Desk::audit(const std::string& summary, const nlohmann::json& detail, const std::string& error) {
  nlohmann::json record = {{"time", iso_now()}, {"summary", summary}, {"ok", error.empty()}};
  if (!error.empty()) record["error"] = error;
  nlohmann::json data = record;
  data["request"] = detail;
  if (error.empty())
    spdlog::info("operator: {}", summary);
  else
    spdlog::warn("operator: {} failed: {}", summary, error);
  std::lock_guard lock(mutex_);
  events_.emit("action", std::move(data));
  recent_.push_back(std::move(record));
  if (recent_.size() > 8) recent_.pop_front();
}

nlohmann::json Desk::act(const nlohmann::json& request) {
  const Action a = parse_action(request);
  std::string error = a.error;
  if (error.empty()) {
    if (a.target == Target::console) {
      muted_ = a.command.value("on", false);
    } else {
      const std::string& fifo =
          a.target == Target::anonymize ? settings_.anonymize_control : settings_.annotate_control;
      const std::int64_t sent = wall_ms();
      error = write_control_line(fifo, a.command);
      if (error.empty() && a.name == "privacy") {
        privacy_requested_ = a.command.value("on", false);
        if (privacy_requested_) privacy_on_ms_ = sent;
      }
    }
  }
  // The audit record holds the action, never anything of the page's request headers (token).
  audit(summary_of(a), a.error.empty() ? a.command : nlohmann::json(nullptr), error);
  return {{"ok", error.empty()}, {"error", error}, {"refused", !a.error.empty()}, {"summary", summary_of(a)}};
}

void Desk::command(const nlohmann::json& command) {
  if (command.value("cmd", "") != "mute")
    return spdlog::debug("control command ignored by surg-console: {}", command.dump());
  if (!command.contains("on") || !command["on"].is_boolean())
    return spdlog::warn("control: mute command without a boolean \"on\": {}", command.dump());
  const bool on = command["on"].get<bool>();
  muted_ = on;
  audit(on ? "microphone muted (control FIFO)" : "microphone unmuted (control FIFO)", command, "");
}

nlohmann::json Desk::state(const nlohmann::json& board, const nlohmann::json& console) const {
  nlohmann::json s = board;
  s["console"] = console;
  s["console"]["muted"] = muted_.load();
  s["console"]["privacy_requested"] = privacy_requested_.load();
  s["console"]["controls"] = {{"privacy", !settings_.anonymize_control.empty()},
                              {"annotate", !settings_.annotate_control.empty()}};
  s["now_ms"] = wall_ms();
  std::lock_guard lock(mutex_);
  s["actions"] = nlohmann::json(recent_);
  return s;
}

media::StreamInfo output_info(const media::StreamInfo& in, const Settings& settings) {
  media::StreamInfo out = in;
  const auto chain = in.tags.find(media::kTagChain);
  out.tags[media::kTagChain] = media::append_chain(
      chain == in.tags.end() ? "" : chain->second, "console",
      settings.start_muted ? std::vector<std::string>{"start-muted"} : std::vector<std::string>{});
  return out;
}

int run(const Options& options, cli::Context& ctx) {
  const Settings settings = resolve(options);  // exit 2 before any media is read
  media::Reader reader(ctx.common.input);
  if (!reader.info().video) throw InputError(ctx.common.input + ": the surg stream has no video");
  const media::VideoParams video = *reader.info().video;

  Desk desk(settings, ctx.events);
  Board board;
  std::mutex board_mutex;
  std::atomic<std::int64_t> slate_seq{0};
  Watcher watcher(settings.watch, settings.run_dir, [&](const nlohmann::json& record, std::int64_t now) {
    std::lock_guard lock(board_mutex);
    board.apply(record, now);
    slate_seq = board.last_slate_start().seq;
  });
  if (!ctx.common.events.empty() && ctx.common.events.rfind("fd:", 0) != 0) watcher.skip(ctx.common.events);
  watcher.start();

  Preview preview(video, settings.preview_width, settings.preview_fps);
  // Counters the page reads while the loop writes them.
  std::atomic<std::int64_t> frames{0}, last_frame_ms{0}, lag_ms{-1};
  std::atomic<bool> ended{false};
  std::atomic<double> level_db{-120.0};
  std::mutex out_mutex;
  nlohmann::json privacy_out;  // the last privacy slate seen leaving, with its delay

  Handlers handlers;
  handlers.state = [&] {
    nlohmann::json b;
    {
      std::lock_guard lock(board_mutex);
      b = board.snapshot();
    }
    nlohmann::json c = {{"frames", frames.load()},
                        {"last_frame_ms", last_frame_ms.load()},
                        {"lag_ms", lag_ms.load()},
                        {"level_db", level_db.load()},
                        {"ended", ended.load()}};
    {
      std::lock_guard lock(out_mutex);
      c["privacy_out"] = privacy_out;
    }
    return desk.state(b, c);
  };
  handlers.preview = [&] { return preview.latest(); };
  handlers.act = [&](const nlohmann::json& request) { return desk.act(request); };
  Server server(settings.policy, handlers);
  spdlog::info("operator panel on http://{}/{}", settings.policy.listen.authority(),
               settings.policy.token.empty() ? "" : " (open it with #token=… from the token file)");
  desk.emit("panel", {{"url", "http://" + settings.policy.listen.authority() + "/"},
                      {"token", !settings.policy.token.empty()},
                      {"muted", settings.start_muted}});

  media::Writer writer(ctx.common.output, output_info(reader.info(), settings));
  std::int64_t audio_packets = 0, muted_packets = 0, marks = 0;
  const auto stats = ctx.stats_from([&] {
    return nlohmann::json{{"frames", frames.load()},
                          {"audio_packets", audio_packets},
                          {"muted_packets", muted_packets},
                          {"marks", marks},
                          {"preview_images", preview.encoded()},
                          {"bytes_in", reader.bytes_read()},
                          {"bytes_out", writer.bytes_written()}};
  });

  Departures departures;
  std::int64_t seen_slate = 0, waiting_pts = -1;
  Board::SlateStart waiting;
  std::int64_t first_pts = AV_NOPTS_VALUE, first_ms = 0;
  bool was_muted = desk.muted();
  // A slate start surg-anonymize reported has left here at `out_ms`: recorded, and, when it
  // answers a privacy click, the click-to-air delay (the panel's promise: under half a second).
  const auto slate_left = [&](const Board::SlateStart& s, std::int64_t out_ms) {
    nlohmann::json data = {{"reason", s.reason}, {"pts", s.pts}, {"out_ms", out_ms}};
    const std::int64_t clicked = desk.privacy_on_ms();
    if (s.reason == "privacy" && clicked > 0 && out_ms >= clicked && out_ms - clicked < 10000)
      data["after_action_ms"] = out_ms - clicked;
    desk.emit("slate-out", data);
    if (data.contains("after_action_ms")) {
      std::lock_guard lock(out_mutex);
      privacy_out = {{"after_action_ms", data["after_action_ms"]}, {"at_ms", out_ms}};
    }
  };

  bool downstream_closed = false;
  try {
    while (auto unit = reader.next()) {
      if (ctx.control)
        for (const auto& c : ctx.control->poll()) desk.command(c);
      if (unit->kind == media::Kind::audio) {
        AVPacket& packet = *unit->packet;
        level_db = peak_dbfs(reinterpret_cast<const std::int16_t*>(packet.data),
                             static_cast<std::size_t>(packet.size) / 2);
        const bool muted = desk.muted();
        if (muted != was_muted) {
          // media_s: seconds from the first frame, as in a recording made downstream.
          const double at =
              media::to_micros(packet.pts, reader.info().audio->time_base).count() / 1e6 -
              (first_pts == AV_NOPTS_VALUE ? 0.0
                                           : media::to_micros(first_pts, video.time_base).count() / 1e6);
          desk.emit("mute", {{"on", muted}, {"pts", packet.pts}, {"media_s", at}});
          was_muted = muted;
        }
        if (muted) {
          if (!silence(packet)) continue;  // cannot silence it: it does not go out (fail closed)
          ++muted_packets;
        }
        writer.write_audio(packet);
        ++audio_packets;
      } else if (unit->kind == media::Kind::mark) {
        writer.write_mark(*unit);
        ++marks;
      } else {
        const AVFrame& frame = *unit->frame;
        writer.write_video(frame);
        const std::int64_t now = wall_ms();
        ++frames;
        last_frame_ms = now;
        departures.add(frame.pts, now);
        if (first_pts == AV_NOPTS_VALUE) {
          first_pts = frame.pts;
          first_ms = now;
        }
        lag_ms = (now - first_ms) - media::to_micros(frame.pts - first_pts, video.time_base).count() / 1000;
        preview.offer(frame, now);
        if (slate_seq.load() != seen_slate) {
          Board::SlateStart s;
          {
            std::lock_guard lock(board_mutex);
            s = board.last_slate_start();
          }
          seen_slate = s.seq;
          s.pts = av_rescale_q(s.pts, parse_tb(s.tb, video.time_base), video.time_base);
          const std::int64_t left = departures.find(s.pts);
          if (left >= 0)
            slate_left(s, left);
          else
            waiting = s, waiting_pts = s.pts;
        } else if (waiting_pts >= 0 && frame.pts >= waiting_pts) {
          slate_left(waiting, now);
          waiting_pts = -1;
        }
      }
    }
    writer.finish();
  } catch (const DownstreamClosed&) {
    downstream_closed = true;  // surg-push stopped (e.g. the consent was withdrawn)
  }
  ended = true;
  // The stream has ended, often for a reason the operator must see (a withdrawn consent
  // stops surg-push, which ends the chain). With a page open and no Ctrl-C, the panel stays up
  // 5 s more so the page shows the last state; the pipes are let go first (replaced by
  // /dev/null), so the other stages are not held.
  if (preview.watched(wall_ms()) && !stop_requested()) {
    const int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null_fd >= 0) {
      if (ctx.common.input == "-") ::dup2(null_fd, STDIN_FILENO);
      if (ctx.common.output == "-") ::dup2(null_fd, STDOUT_FILENO);
      ::close(null_fd);
    }
    spdlog::info("the stream ended; the panel stays up 5 s for the page to show the last state");
    for (int i = 0; i < 50 && !stop_requested(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      std::lock_guard lock(board_mutex);  // the last records of the other stages are read meanwhile
    }
  }
  if (downstream_closed) throw DownstreamClosed();
  return 0;
}

}  // namespace surg::console
