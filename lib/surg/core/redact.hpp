#pragma once
// Secrets never leave the process (doc/privacy.md). Two lines of defence:
//  1. by value: every secret loaded (stream keys, SRT passphrases and stream ids, tokens) is
//     registered, and every log line, error, stats file and events line is scrubbed of it;
//  2. by pattern: every URL that may reach a message is redacted (keys, credentials,
//     secret query values), for secrets the process never loaded (a key typed by mistake).
#include <string>
#include <string_view>

namespace surg {

inline constexpr std::string_view kRedacted = "****";

// Registers a secret for scrub_secrets(): the value itself, its URL-encoded form, and each
// query value inside it ("123?s_sw=0&a=TOKEN" also registers "TOKEN"). Values shorter than
// kMinSecret are not registered (they would mask ordinary words); secret loaders refuse them.
inline constexpr std::size_t kMinSecret = 4;
void register_secret(std::string_view secret);
// Every registered secret in `text` replaced by ****. Thread-safe.
std::string scrub_secrets(std::string_view text);
// For tests: forgets every registered secret.
void clear_secrets();

// rtmps://host:443/app/KEY?x=y -> rtmps://host:443/app/****
// srt://host:9000?passphrase=s&latency=1 -> srt://host:9000?passphrase=****&latency=1
// user:pass@host -> ****@host. Local paths are returned unchanged. Registered secrets are
// scrubbed too.
std::string redact_url(std::string_view url);

// Every scheme://... word of a free text (a library's log line) redacted as above, and every
// registered secret scrubbed.
std::string redact_urls_in(const std::string& text);

}  // namespace surg
