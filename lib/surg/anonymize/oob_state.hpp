#pragma once
// The out-of-body state of an endoscope feed. Enter at once (one frame that looks out of body
// is enough: it may show the room or a face); leave only after frames have looked in-body
// without a break for `exit_after`. A stream starts out of body ("protected") until its
// first frames prove in-body in the same way. Times are stream times.
#include <optional>

#include "surg/core/units.hpp"

namespace surg::anonymize {

class OobState {
 public:
  explicit OobState(Micros exit_after) : exit_after_(exit_after) {}

  // The classifier's verdict on the frame at time t; returns out_of_body() afterwards.
  bool update(Micros t, bool looks_in_body);
  // A frame that could not be classified (detector late or failed): the in-body run breaks.
  void unknown() { in_since_.reset(); }
  bool out_of_body() const { return out_; }
  int entries() const { return entries_; }  // times the state was entered after leaving it

 private:
  Micros exit_after_;
  bool out_ = true;
  std::optional<Micros> in_since_;
  int entries_ = 0;
};

}  // namespace surg::anonymize
