#pragma once
// Where the unit tests find their data and the face models (as tests/integration/lib.sh).
// Free data ships in tests/data. Research-only data is $SURG_DATA, else ../shared/data beside
// the clone; a test that needs it has "(research data)" in its name, so tests/run.sh can
// leave it out and count it as skipped when the data is absent (README, "Testing").
#include <cstdlib>
#include <string>

inline std::string test_free_data_dir() { return std::string(SURG_SOURCE_DIR) + "/tests/data"; }

inline std::string test_data_dir() {
  if (const char* d = std::getenv("SURG_DATA"); d && std::string(d) != "none") return d;
  return std::string(SURG_SOURCE_DIR) + "/../shared/data";
}

inline std::string test_model_dir() {
  if (const char* d = std::getenv("SURG_MODEL_DIR")) return d;
  return std::string(SURG_SOURCE_DIR) + "/.cache/models";
}
