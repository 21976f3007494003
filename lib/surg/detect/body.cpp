#include "surg/detect/body.hpp"

namespace surg::detect {

float BodyClassifier::score(const OobFeatures& f) const {
  constexpr std::size_t kContent = 2, kCool = 9;  // oob_feature_names() order
  if (f[kContent] < kMinContent || f[kCool] > kMaxCool) return 0;
  return model_->probability(f);
}

}  // namespace surg::detect
