#include "surg/config/config.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <toml++/toml.h>

#include "surg/core/error.hpp"
#include "surg/core/toml_guard.hpp"

namespace surg::config {
namespace {

std::string origin_of(const std::string& path, const toml::node& node) {
  return path + ":" + std::to_string(node.source().begin.line);
}

// One TOML value as command-line text; arrays become several values.
std::vector<std::string> values_of(const std::string& path, const std::string& key, const toml::node& node) {
  if (const auto* arr = node.as_array()) {
    std::vector<std::string> out;
    for (const auto& item : *arr) {
      auto v = values_of(path, key, item);
      out.insert(out.end(), v.begin(), v.end());
    }
    return out;
  }
  if (auto s = node.value<std::string>(); s && node.is_string()) return {*s};
  if (node.is_boolean()) return {*node.value<bool>() ? "true" : "false"};
  if (node.is_integer()) return {std::to_string(*node.value<std::int64_t>())};
  if (node.is_floating_point()) {
    std::string text = std::to_string(*node.value<double>());
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
    return {text};
  }
  throw UsageError(origin_of(path, node) + ": key '" + key +
                   "' has an unsupported value type (use a string, number, boolean or array)");
}

void read_table(const std::string& path, const toml::table& root, const std::string& name,
                std::vector<Setting>& out) {
  const toml::node* node = root.get(name);
  if (!node) return;
  const auto* table = node->as_table();
  if (!table) throw UsageError(origin_of(path, *node) + ": '" + name + "' must be a table");
  for (const auto& [key, value] : *table)
    out.push_back(
        {std::string(key.str()), values_of(path, std::string(key.str()), value), origin_of(path, value)});
}

}  // namespace

std::vector<Setting> load_file(const std::string& path, const std::string& tool_table, bool required) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (required) throw UsageError("config file " + path + ": not found");
    return {};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("config file " + path + ": cannot open");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  toml::table root;
  try {
    root = toml::parse(guard_toml(text, path), path);  // core/toml_guard.hpp
  } catch (const toml::parse_error& e) {
    throw UsageError(path + ":" + std::to_string(e.source().begin.line) + ": " +
                     std::string(e.description()));
  }
  std::vector<Setting> out;
  read_table(path, root, "common", out);
  read_table(path, root, tool_table, out);
  return out;
}

std::string system_path() {
#if SURG_TEST_HOOKS
  if (const char* test = std::getenv("SURG_TEST_SYSCONFIG"); test && *test) return test;
#endif
  return "/etc/surg/surg.toml";
}

std::vector<std::string> default_paths() {
  std::vector<std::string> paths{system_path()};
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
    paths.push_back(std::string(xdg) + "/surg/surg.toml");
  else if (const char* home = std::getenv("HOME"); home && *home)
    paths.push_back(std::string(home) + "/.config/surg/surg.toml");
  return paths;
}

std::vector<Setting> load(const std::string& tool_table, const std::string& explicit_path) {
  std::vector<Setting> out;
  for (const auto& path : default_paths()) {
    auto s = load_file(path, tool_table, false);
    out.insert(out.end(), s.begin(), s.end());
  }
  if (!explicit_path.empty()) {
    auto s = load_file(explicit_path, tool_table, true);
    out.insert(out.end(), s.begin(), s.end());
  }
  return out;
}

}  // namespace surg::config
