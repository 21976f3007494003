#pragma once
// Every URL that may reach a log line, an error or a stats file goes through here:
// stream keys, passwords and SRT passphrases never leave the process.
#include <string>
#include <string_view>

namespace surg {

// rtmps://host:443/app/KEY?x=y -> rtmps://host:443/app/****
// srt://host:9000?passphrase=s&latency=1 -> srt://host:9000?passphrase=****&latency=1
// user:pass@host -> ****@host. Local paths are returned unchanged.
std::string redact_url(std::string_view url);

// Every scheme://... word of a free text (a library's log line) redacted as above.
std::string redact_urls_in(const std::string& text);

}  // namespace surg
