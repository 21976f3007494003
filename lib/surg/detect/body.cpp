#include "surg/detect/body.hpp"

namespace surg::detect {

float BodyClassifier::score(const OobFeatures& f) const {
  constexpr std::size_t kContentIndex = 2;  // oob_feature_names()[2] == "content"
  if (f[kContentIndex] < kMinContent) return 0;
  return model_->probability(f);
}

}  // namespace surg::detect
