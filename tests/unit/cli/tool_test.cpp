#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "surg/cli/tool.hpp"
#include "surg/core/units.hpp"

using namespace surg;

namespace {

struct Fixture {
  // Per process: ctest runs test cases of this file in parallel processes.
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("surg-cli-test-" + std::to_string(getpid()));
  Fixture() {
    std::filesystem::create_directories(dir / "surg");
    setenv("XDG_CONFIG_HOME", dir.c_str(), 1);
  }
  ~Fixture() { std::filesystem::remove_all(dir); }
  void write(const std::string& name, const std::string& text) const { std::ofstream(dir / name) << text; }
};

struct Probe {
  std::string title = "default";
  bool faces = true;
  std::string hold = "0.5s";
  std::string stats_seen;
};

int run_tool(std::vector<std::string> args, Probe& p, int status = 0) {
  args.insert(args.begin(), "surg-probe");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return cli::tool_main(
      static_cast<int>(argv.size()), argv.data(), {"surg-probe", "probe", "test tool"},
      [&](CLI::App& app) {
        app.add_option("--title", p.title, "a title");
        app.add_flag("--faces,!--no-faces", p.faces, "faces");
        app.add_option("--hold", p.hold, "hold")->check(cli::duration_validator());
      },
      [&](cli::Context& ctx) {
        ctx.stats["frames"] = 3;
        p.stats_seen = ctx.common.stats;
        return status;
      });
}

}  // namespace

TEST_CASE("config tables apply in order and flags override them") {
  Fixture f;
  f.write("surg/surg.toml",
          "[common]\nlog-format = \"text\"\n[probe]\ntitle = \"from xdg\"\nfaces = false\n");
  f.write("extra.toml", "[probe]\nhold = \"2s\"\n");
  Probe p;
  CHECK(run_tool({"--config", (f.dir / "extra.toml").string()}, p) == 0);
  CHECK(p.title == "from xdg");
  CHECK_FALSE(p.faces);
  CHECK(p.hold == "2s");
  Probe q;
  CHECK(run_tool({"--title", "from flag", "--faces"}, q) == 0);
  CHECK(q.title == "from flag");
  CHECK(q.faces);
}

TEST_CASE("an unknown config key is a usage error") {
  Fixture f;
  f.write("surg/surg.toml", "[probe]\ntitel = \"typo\"\n");
  Probe p;
  CHECK(run_tool({}, p) == 2);
}

TEST_CASE("a config syntax error is a usage error") {
  Fixture f;
  f.write("surg/surg.toml", "[probe\n");
  Probe p;
  CHECK(run_tool({}, p) == 2);
}

TEST_CASE("bad flags and bad durations are usage errors; --help is success") {
  Fixture f;
  Probe p;
  CHECK(run_tool({"--no-such-flag"}, p) == 2);
  CHECK(run_tool({"--hold", "soon"}, p) == 2);
  CHECK(run_tool({"--help"}, p) == 0);
  CHECK(run_tool({"--version"}, p) == 0);
}

TEST_CASE("stats are written to --stats as one JSON line") {
  Fixture f;
  Probe p;
  const auto path = (f.dir / "stats.json").string();
  CHECK(run_tool({"--stats", path}, p, 0) == 0);
  std::ifstream in(path);
  const auto stats = nlohmann::json::parse(in);
  CHECK(stats["frames"] == 3);
}

TEST_CASE("the run's status is returned") {
  Fixture f;
  Probe p;
  CHECK(run_tool({}, p, 3) == 3);
}
