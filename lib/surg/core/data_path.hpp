#pragma once
// Where the tools find the data installed beside them (the face model, hls.js): the same
// places in a build tree, an install prefix and a .deb, whatever the prefix.
#include <filesystem>
#include <string>
#include <vector>

namespace surg {

// <executable dir>/../share/surg/RELATIVE (installed), <executable dir>/RELATIVE (build
// tree), SURG_DATA_DIR/RELATIVE (the configured prefix), in that order.
std::vector<std::filesystem::path> data_candidates(const std::string& relative);

}  // namespace surg
