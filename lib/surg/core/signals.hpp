#pragma once
// Process-wide signal state. SIGINT/SIGTERM request a stop (sources stop, sinks drain);
// SIGPIPE is ignored so EPIPE arrives as an error we treat as "downstream finished";
// SIGUSR1 toggles the privacy slate.
namespace surg {

void install_signal_handlers();
bool stop_requested();
void request_stop();  // what SIGINT/SIGTERM do; also callable from code (tests, --duration)
int stop_signal();    // the signal that requested the stop, 0 if none
// Seconds since the stop was requested (0 if it was not). Downstream tools keep reading
// their input until end of file after Ctrl-C (the source closes it); media::Reader gives
// up after a grace period measured with this.
double seconds_since_stop();
// Number of SIGUSR1 received since start; a consumer compares with the last value it saw.
unsigned privacy_toggle_count();

}  // namespace surg
