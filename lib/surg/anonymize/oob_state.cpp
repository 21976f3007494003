#include "surg/anonymize/oob_state.hpp"

namespace surg::anonymize {

bool OobState::update(Micros t, bool looks_in_body) {
  if (!looks_in_body) {
    if (!out_) ++entries_;
    out_ = true;
    in_since_.reset();
    return out_;
  }
  if (!in_since_) in_since_ = t;
  if (out_ && t - *in_since_ >= exit_after_) out_ = false;
  return out_;
}

}  // namespace surg::anonymize
