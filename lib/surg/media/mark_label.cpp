#include "surg/media/mark_label.hpp"

#include "surg/core/utf8.hpp"

namespace surg::media {

std::optional<std::string> mark_label_problem(std::string_view label) {
  return line_problem(label, kMaxMarkLabelBytes);
}

}  // namespace surg::media
