#include "surg/media/session.hpp"

#include <algorithm>
#include <sstream>

extern "C" {
#include <libavutil/dict.h>
}

namespace surg::media {
namespace {

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, sep))
    if (!item.empty()) out.push_back(item);
  return out;
}

}  // namespace

bool is_session_tag(const std::string& key) {
  return key == kTagCase || key == kTagConsent || key == kTagChain;
}

Tags session_tags(const AVDictionary* metadata) {
  Tags tags;
  const AVDictionaryEntry* e = nullptr;
  while ((e = av_dict_get(metadata, "", e, AV_DICT_IGNORE_SUFFIX))) {
    // Matroska stores tag names upper-cased (SURG.CASE).
    std::string key = e->key;
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
    if (is_session_tag(key)) tags[key] = e->value;
  }
  return tags;
}

void set_tags(AVDictionary** metadata, const Tags& tags) {
  for (const auto& [key, value] : tags)
    if (is_session_tag(key)) av_dict_set(metadata, key.c_str(), value.c_str(), 0);
}

bool ChainStep::has(const std::string& setting) const {
  return std::find(settings.begin(), settings.end(), setting) != settings.end();
}

std::string ChainStep::value(const std::string& key) const {
  const std::string prefix = key + "=";
  for (const auto& s : settings) {
    if (s.starts_with(prefix)) return s.substr(prefix.size());
  }
  return "";
}

std::vector<ChainStep> parse_chain(const std::string& chain) {
  std::vector<ChainStep> steps;
  for (const auto& text : split(chain, ';')) {
    ChainStep step;
    const auto colon = text.find(':');
    const std::string head = text.substr(0, colon);
    const auto at = head.find('@');
    step.tool = head.substr(0, at);
    if (at != std::string::npos) step.version = head.substr(at + 1);
    if (colon != std::string::npos) step.settings = split(text.substr(colon + 1), ',');
    steps.push_back(std::move(step));
  }
  return steps;
}

std::string append_chain(const std::string& chain, const std::string& tool,
                         const std::vector<std::string>& settings) {
  std::string name = tool.rfind("surg-", 0) == 0 ? tool.substr(5) : tool;
  std::string step = name + "@" + SURG_VERSION + ":";
  for (std::size_t i = 0; i < settings.size(); ++i) step += (i ? "," : "") + settings[i];
  return chain.empty() ? step : chain + ";" + step;
}

}  // namespace surg::media
