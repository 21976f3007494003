#include "surg/console/actions.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "surg/control/control.hpp"
#include "surg/core/utf8.hpp"

namespace surg::console {
namespace {

std::string text_field(const nlohmann::json& r, const char* key, std::size_t max, bool required,
                       std::string& error) {
  if (!r.contains(key)) {
    if (required) error = std::string("\"") + key + "\" is missing";
    return "";
  }
  if (!r[key].is_string()) {
    error = std::string("\"") + key + "\" must be a string";
    return "";
  }
  std::string text = r[key].get<std::string>();
  // A caption, label or title is drawn on frames or written into chapters: one line of text.
  if (const auto why = line_problem(text, max)) error = std::string("\"") + key + "\" " + *why;
  return text;
}

}  // namespace

Action parse_action(const nlohmann::json& r) {
  Action a;
  if (!r.is_object() || !r.contains("action") || !r["action"].is_string()) {
    a.error = "expected {\"action\":...}";
    return a;
  }
  a.name = r["action"].get<std::string>();
  if (a.name == "privacy" || a.name == "mute") {
    if (!r.contains("on") || !r["on"].is_boolean()) {
      a.error = "\"on\" must be true or false";
      return a;
    }
    const bool on = r["on"].get<bool>();
    a.target = a.name == "privacy" ? Target::anonymize : Target::console;
    a.command = {{"cmd", a.name}, {"on", on}};
  } else if (a.name == "mark") {
    std::string label = text_field(r, "label", kMaxLabelBytes, false, a.error);
    a.target = Target::annotate;
    a.command = {{"cmd", "mark"}, {"label", label}};
  } else if (a.name == "caption") {
    std::string text = text_field(r, "text", kMaxCaptionBytes, true, a.error);
    a.target = Target::annotate;
    a.command = {{"cmd", "caption"}, {"text", text}};
    if (r.contains("duration")) {
      if (!r["duration"].is_number() || r["duration"].get<double>() <= 0 ||
          r["duration"].get<double>() > 3600)
        a.error = "\"duration\" must be seconds, above 0 and at most 3600";
      else
        a.command["duration"] = r["duration"].get<double>();
    }
  } else if (a.name == "title") {
    std::string text = text_field(r, "text", kMaxTitleBytes, true, a.error);
    a.target = Target::annotate;
    a.command = {{"cmd", "title"}, {"text", text}};
  } else {
    a.error = "unknown action (privacy, mute, mark, caption, title)";
    a.name.clear();  // whatever it was, it is not repeated (summary_of)
  }
  return a;
}

std::string summary_of(const Action& a) {
  if (!a.error.empty()) return a.name.empty() ? "bad request" : a.name;
  if (a.name == "privacy")
    return a.command.value("on", false) ? "privacy slate ON" : "privacy slate off (resume)";
  if (a.name == "mute") return a.command.value("on", false) ? "microphone muted" : "microphone unmuted";
  if (a.name == "mark") return "chapter mark '" + a.command.value("label", "") + "'";
  const std::string text = a.command.value("text", "");
  if (a.name == "caption") return text.empty() ? "caption cleared" : "caption '" + text + "'";
  return text.empty() ? "title hidden" : "title '" + text + "'";
}

std::string write_control_line(const std::string& fifo, const nlohmann::json& command) {
  if (fifo.empty()) return "no control FIFO was given to surg-console for this";
  // O_NONBLOCK: opening a FIFO nobody reads fails at once (ENXIO) instead of hanging the panel.
  const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENXIO) return "the stage is not reading " + fifo + " (not running?)";
    return fifo + ": " + std::strerror(errno);
  }
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    ::close(fd);
    return fifo + ": " + std::strerror(errno);
  }
  // Another user's FIFO at that path would take the privacy command and leave the stage
  // without it: refused, as the stage itself refuses it.
  if (const auto why = control::fifo_problem(st)) {
    ::close(fd);
    return fifo + ": " + *why;
  }
  const std::string line = command.dump() + "\n";  // at most a few hundred bytes < PIPE_BUF: atomic
  const ssize_t n = ::write(fd, line.data(), line.size());
  const int err = errno;
  ::close(fd);
  if (n == static_cast<ssize_t>(line.size())) return "";
  return fifo + ": " + (n < 0 ? std::strerror(err) : std::string("short write"));
}

}  // namespace surg::console
