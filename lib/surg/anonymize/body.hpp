#pragma once
// The out-of-body classifier as anonymize sees it; built from lib/surg/detect's classifier.
#include <memory>

#include <opencv2/core.hpp>

#include "surg/anonymize/options.hpp"

namespace surg::anonymize {

class BodyCheck {
 public:
  virtual ~BodyCheck() = default;
  // Whether a BGR frame looks inside the patient. Throws on failure (the caller fails closed).
  virtual bool in_body(const cv::Mat& bgr) = 0;
};

std::unique_ptr<BodyCheck> make_body_check(const Plan& plan);

}  // namespace surg::anonymize
