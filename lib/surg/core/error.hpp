#pragma once
// Typed errors: each carries the exit status the tool ends with. Thrown anywhere,
// caught once in cli::tool_main, logged once.
#include <stdexcept>
#include <string>

namespace surg {

// Exit statuses shared by every tool (documented in every man page).
enum class ExitStatus : int {
  ok = 0,             // success, including downstream closing the pipe
  runtime = 1,        // I/O, encoder, destination unreachable after retries
  usage = 2,          // usage or configuration error
  consent = 3,        // consent missing, expired, revoked or not covering the use
  invalid_input = 4,  // invalid input stream or data file
  interrupted = 130,  // interrupted before the output could be finished
};

class Error : public std::runtime_error {
 public:
  Error(ExitStatus status, const std::string& message) : std::runtime_error(message), status_(status) {}
  ExitStatus status() const { return status_; }

 private:
  ExitStatus status_;
};

struct RuntimeError : Error {
  explicit RuntimeError(const std::string& m) : Error(ExitStatus::runtime, m) {}
};
struct UsageError : Error {
  explicit UsageError(const std::string& m) : Error(ExitStatus::usage, m) {}
};
struct ConsentError : Error {
  explicit ConsentError(const std::string& m) : Error(ExitStatus::consent, m) {}
};
struct InputError : Error {
  explicit InputError(const std::string& m) : Error(ExitStatus::invalid_input, m) {}
};
struct InterruptedError : Error {
  explicit InterruptedError(const std::string& m) : Error(ExitStatus::interrupted, m) {}
};

}  // namespace surg

namespace surg {
// Downstream closed the pipe (EPIPE): not a failure. tool_main exits 0 quietly.
struct DownstreamClosed : Error {
  DownstreamClosed() : Error(ExitStatus::ok, "downstream closed the pipe") {}
};
}  // namespace surg
