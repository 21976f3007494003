#pragma once
// Session facts carried as NUT container metadata. Only allow-listed keys ever pass:
// surg.case, surg.consent, surg.chain. Everything else a source carries (creation time,
// device, GPS, serials, encoder, chapters) is dropped.
#include <map>
#include <string>
#include <vector>

struct AVDictionary;

namespace surg::media {

using Tags = std::map<std::string, std::string>;

inline constexpr const char* kTagCase = "surg.case";
inline constexpr const char* kTagConsent = "surg.consent";
inline constexpr const char* kTagChain = "surg.chain";

bool is_session_tag(const std::string& key);
Tags session_tags(const AVDictionary* metadata);  // allow-listed keys only
void set_tags(AVDictionary** metadata, const Tags& tags);

// surg.chain: steps separated by ";", each "tool@version:setting,setting".
//   capture@0.1.0:test-pattern,1280x720;anonymize@0.1.0:faces,oob,zones
struct ChainStep {
  std::string tool;     // "capture"
  std::string version;  // "0.1.0"
  std::vector<std::string> settings;
  bool has(const std::string& setting) const;
  std::string value(const std::string& key) const;  // of a "key=value" setting, "" without one
};
std::vector<ChainStep> parse_chain(const std::string& chain);
// Appends this tool's step (tool name without "surg-", version SURG_VERSION).
std::string append_chain(const std::string& chain, const std::string& tool,
                         const std::vector<std::string>& settings);

}  // namespace surg::media
