#include "surg/core/data_path.hpp"

namespace surg {

std::vector<std::filesystem::path> data_candidates(const std::string& relative) {
  namespace fs = std::filesystem;
  std::vector<fs::path> out;
  std::error_code ec;
  const fs::path exe_dir = fs::read_symlink("/proc/self/exe", ec).parent_path();
  if (!ec) {
    out.push_back(exe_dir / ".." / "share" / "surg" / relative);
    out.push_back(exe_dir / relative);
  }
  out.push_back(fs::path(SURG_DATA_DIR) / relative);
  return out;
}

}  // namespace surg
