#include "surg/console/options.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "surg/control/control.hpp"
#include "surg/core/error.hpp"
#include "surg/core/redact.hpp"

namespace surg::console {

void add_options(CLI::App& app, Options& o) {
  app.add_option(
      "--listen", o.listen,
      "serve the panel on ADDRESS:PORT (default 127.0.0.1:8480; another address needs --token-file)");
  app.add_option("--token-file", o.token_file,
                 "a token the page must send (file mode 0600, yours); required off loopback");
  app.add_option("--anonymize-control", o.anonymize_control,
                 "surg-anonymize's --control FIFO: the privacy button writes there");
  app.add_option("--annotate-control", o.annotate_control,
                 "surg-annotate's --control FIFO: mark and caption write there");
  app.add_option("--watch", o.watch, "show the state from this --events log of another stage (repeatable)");
  app.add_option("--run-dir", o.run_dir,
                 "watch every *.jsonl events log in this folder (also those made later)");
  app.add_flag("--start-muted", o.start_muted, "start with the audio silenced (unmute from the panel)");
  app.add_option("--preview-fps", o.preview_fps, "preview images a second")
      ->check(CLI::Range(0.5, 15.0))
      ->capture_default_str();
  app.add_option("--preview-width", o.preview_width, "preview width in pixels")
      ->check(CLI::Range(64, 1920))
      ->capture_default_str();
}

std::string read_token_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) throw UsageError("--token-file " + path + ": " + std::strerror(errno));
  struct stat st {};
  std::string token;
  const bool ok = fstat(fd, &st) == 0;
  if (ok && S_ISREG(st.st_mode) && st.st_uid == geteuid() && (st.st_mode & 077) == 0) {
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0 && token.size() < 4096) token.append(buf, n);
  }
  ::close(fd);
  if (!ok || !S_ISREG(st.st_mode)) throw UsageError("--token-file " + path + ": not a regular file");
  if (st.st_uid != geteuid()) throw UsageError("--token-file " + path + ": not owned by you");
  if (st.st_mode & 077)
    throw UsageError("--token-file " + path + ": readable or writable by others (chmod 600 it)");
  const auto first = token.find_first_not_of(" \t\r\n");
  const auto last = token.find_last_not_of(" \t\r\n");
  token = first == std::string::npos ? "" : token.substr(first, last - first + 1);
  if (token.size() < 16)
    throw UsageError("--token-file " + path +
                     ": the token must have at least 16 characters "
                     "(e.g. head -c 24 /dev/urandom | base64)");
  for (unsigned char c : token)
    if (c < 0x21 || c > 0x7e)
      throw UsageError("--token-file " + path + ": the token must be printable ASCII");
  return token;
}

namespace {

// The FIFO is the other stage's; it is created by that stage (control::Reader) if missing, so
// only a path that exists and is not a FIFO is refused here.
void check_fifo_path(const std::string& path, const std::string& option) {
  if (path.empty()) return;
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) return;  // not made yet: the stage creates it
  if (const auto why = control::fifo_problem(st)) throw UsageError(option + " " + path + ": " + *why);
}

}  // namespace

Settings resolve(const Options& o) {
  Settings s;
  s.policy.listen = parse_listen(o.listen);
  if (!o.token_file.empty()) {
    s.policy.token = read_token_file(o.token_file);
    register_secret(s.policy.token);  // scrubbed from every log, error and events line (core/redact.hpp)
  }
  if (!s.policy.listen.loopback() && s.policy.token.empty())
    throw UsageError("--listen " + o.listen +
                     " is not a loopback address: give --token-file "
                     "(anyone who reaches the panel can cut or resume the broadcast)");
  check_fifo_path(o.anonymize_control, "--anonymize-control");
  check_fifo_path(o.annotate_control, "--annotate-control");
  s.anonymize_control = o.anonymize_control;
  s.annotate_control = o.annotate_control;
  s.watch = o.watch;
  s.run_dir = o.run_dir;
  s.start_muted = o.start_muted;
  s.preview_fps = o.preview_fps;
  s.preview_width = o.preview_width;
  return s;
}

}  // namespace surg::console
