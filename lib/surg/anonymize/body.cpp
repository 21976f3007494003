// The only place that knows lib/surg/detect's out-of-body classifier (detect/body.hpp: colour
// and texture features into a small learned model, weights in models/oob/).
#include "surg/anonymize/body.hpp"

#include "surg/detect/body.hpp"

namespace surg::anonymize {
namespace {

class DetectBodyCheck : public BodyCheck {
 public:
  bool in_body(const cv::Mat& bgr) override { return classifier_.in_body(bgr); }

 private:
  detect::BodyClassifier classifier_;
};

}  // namespace

std::unique_ptr<BodyCheck> make_body_check(const Plan&) { return std::make_unique<DetectBodyCheck>(); }

}  // namespace surg::anonymize
