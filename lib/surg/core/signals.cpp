#include "surg/core/signals.hpp"

#include <atomic>
#include <csignal>
#include <ctime>

namespace surg {
namespace {

std::atomic<int> g_stop_signal{0};
std::atomic<bool> g_stop{false};
std::atomic<unsigned> g_privacy_toggles{0};
std::atomic<double> g_stop_time{0};

double monotonic_seconds() {  // clock_gettime is async-signal-safe
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

extern "C" void on_stop(int sig) {
  // A second Ctrl-C while draining means "now": restore the default and raise the signal
  // again, so it kills at once (status 128 + sig, 130 for SIGINT; the man pages). The signal
  // is blocked while its handler runs: it is delivered, and kills, when the handler returns.
  if (g_stop.exchange(true)) {
    std::signal(sig, SIG_DFL);
    std::raise(sig);
    return;
  }
  g_stop_time = monotonic_seconds();
  g_stop_signal = sig;
}
extern "C" void on_usr1(int) { g_privacy_toggles.fetch_add(1); }

}  // namespace

void install_signal_handlers() {
  struct sigaction sa {};
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = on_stop;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  sa.sa_handler = on_usr1;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

bool stop_requested() { return g_stop.load(std::memory_order_relaxed); }
void request_stop() {
  if (!g_stop.exchange(true)) g_stop_time = monotonic_seconds();
}
double seconds_since_stop() { return stop_requested() ? monotonic_seconds() - g_stop_time : 0; }
int stop_signal() { return g_stop_signal.load(); }
unsigned privacy_toggle_count() { return g_privacy_toggles.load(); }

}  // namespace surg
