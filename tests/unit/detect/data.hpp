#pragma once
// Where the unit tests find ../shared/data and the face models (as tests/integration/lib.sh).
#include <cstdlib>
#include <string>

inline std::string test_data_dir() {
  if (const char* d = std::getenv("SURG_DATA")) return d;
  return std::string(SURG_SOURCE_DIR) + "/../shared/data";
}

inline std::string test_model_dir() {
  if (const char* d = std::getenv("SURG_MODEL_DIR")) return d;
  return std::string(SURG_SOURCE_DIR) + "/.cache/models";
}
