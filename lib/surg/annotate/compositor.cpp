#include "surg/annotate/compositor.hpp"

extern "C" {
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

#include "surg/core/error.hpp"

namespace surg::annotate {

Compositor::Compositor(const media::VideoParams& video, const SubtitleFile& subtitles,
                       const std::vector<StaticLayer>& layers, const std::vector<TextSlot>& texts) {
  source_ = graph_.add(
      "buffer", "main",
      video_source_args(video.width, video.height, video.format, video.time_base, video.sample_aspect_ratio));
  AVFilterContext* last = source_;
  // Overlays blend onto yuv420p; any other input is converted there and back (rare).
  const bool convert = video.format != AV_PIX_FMT_YUV420P;
  if (convert) last = graph_.chain(last, {graph_.add("format", "to420", {{"pix_fmts", "yuv420p"}})});
  if (!subtitles.path.empty()) {
    last = graph_.chain(last, {graph_.add("subtitles", "captions",
                                          {{"filename", "file:" + subtitles.path},
                                           {"fontsdir", subtitles.fonts_dir},
                                           {"force_style", subtitles.force_style}})});
  }
  for (const auto& layer : layers) last = add_static_layer(last, layer, video.time_base);
  for (const auto& text : texts) {
    AVFilterContext* f = graph_.add("drawtext", text.name, text.args);
    if (!text.enabled)
      media::av_check(avfilter_process_command(f, "enable", "0", nullptr, 0, 0), "enable", text.name);
    texts_[text.name] = f;
    last = graph_.chain(last, {f});
  }
  if (convert)
    last =
        graph_.chain(last, {graph_.add("format", "back", {{"pix_fmts", av_get_pix_fmt_name(video.format)}})});
  sink_ = graph_.chain(last, {graph_.add("buffersink", "out")});
  graph_.configure();
}

AVFilterContext* Compositor::add_static_layer(AVFilterContext* last, const StaticLayer& layer,
                                              AVRational time_base) {
  AVFilterContext* src =
      graph_.add("buffer", layer.name,
                 video_source_args(layer.image->width, layer.image->height, AV_PIX_FMT_YUVA420P, time_base));
  Args args{{"format", "yuv420"}, {"x", std::to_string(layer.x)}, {"y", std::to_string(layer.y)}};
  if (layer.until) args.emplace_back("enable", "lt(t," + std::to_string(*layer.until) + ")");
  AVFilterContext* overlay = graph_.add("overlay", "overlay_" + layer.name, args);
  graph_.link(last, overlay, 0);
  graph_.link(src, overlay, 1);
  pending_layers_.emplace_back(src, layer.image);
  return overlay;
}

media::FramePtr Compositor::process(media::FramePtr frame) {
  // Each static layer: one frame at the first pts, then the end; overlay repeats it.
  for (auto& [src, image] : pending_layers_) {
    media::FramePtr ref = media::clone_frame(*image);
    ref->pts = frame->pts;
    push_frame(src, ref.get());
    push_frame(src, nullptr);
  }
  pending_layers_.clear();
  push_frame(source_, frame.get());
  media::FramePtr out = pull_frame(sink_);
  if (!out) throw RuntimeError("annotate: the filter graph held a frame back");
  return out;
}

void Compositor::set_text(const std::string& name, const Args& changes, bool enabled) {
  AVFilterContext* f = texts_.at(name);
  for (const auto& [key, value] : changes)
    media::av_check(av_opt_set(f->priv, key.c_str(), value.c_str(), 0), "av_opt_set", "drawtext " + key);
  // reinit with no arguments: drawtext copies the options just set and loads them.
  if (!changes.empty())
    media::av_check(avfilter_process_command(f, "reinit", "", nullptr, 0, 0), "drawtext reinit", name);
  media::av_check(avfilter_process_command(f, "enable", enabled ? "1" : "0", nullptr, 0, 0), "enable", name);
}

void Compositor::move_layer(const std::string& name, int x, int y) {
  graph_.command("overlay_" + name, "x", std::to_string(x));
  graph_.command("overlay_" + name, "y", std::to_string(y));
}

}  // namespace surg::annotate
