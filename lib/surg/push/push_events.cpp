#include "surg/push/push_events.hpp"

namespace surg::push {

void PushEvents::emit(const char* type, nlohmann::json data) {
  if (!emitter_.enabled()) return;
  std::lock_guard lock(mutex_);
  emitter_.emit(type, std::move(data));
}

void PushEvents::output(const std::string& dest, const std::string& kind, const char* st,
                        nlohmann::json extra) {
  nlohmann::json data = {{"dest", dest}, {"kind", kind}, {"state", st}};
  data.update(extra);
  emit("output", std::move(data));
}

void PushEvents::dropped(const std::string& dest, std::int64_t packets, std::int64_t gops) {
  emit("dropped", {{"dest", dest}, {"packets", packets}, {"gops", gops}});
}

void PushEvents::progress(nlohmann::json data) { emit("progress", std::move(data)); }

void PushEvents::limit(nlohmann::json data) { emit("limit", std::move(data)); }

void PushEvents::consent(nlohmann::json data) { emit("consent", std::move(data)); }

}  // namespace surg::push
