#pragma once
// The per-frame filter graph. Frames go through libass (timed captions), one overlay a
// static layer (logo, subtitle: rendered once, given to the graph once, repeated by
// overlay), then one drawtext a changing text (live caption, clock) that draws only its few
// glyphs on each frame. Static layers are given once because overlay's frame sync copies
// the whole main frame whenever the overlaid input may still change. So a layer whose image
// changes now and then (the title, changed by the "title" command) gets a Compositor of its
// own, one overlay, built again when the image changes (annotator.cpp).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "surg/annotate/graph.hpp"
#include "surg/media/stream.hpp"

namespace surg::annotate {

struct SubtitleFile {
  std::string path;         // SRT or WebVTT; empty = none
  std::string fonts_dir;    // where libass finds the font
  std::string force_style;  // ASS style override, e.g. "FontName=DejaVu Sans,FontSize=14"
};

struct StaticLayer {
  std::string name;
  const AVFrame* image = nullptr;  // yuva420p
  int x = 0, y = 0;
  std::optional<double> until;  // seconds from the start; shown before it only
};

// A drawtext whose options change during the stream (set_text).
struct TextSlot {
  std::string name;
  Args args;
  bool enabled = true;
};

class Compositor {
 public:
  Compositor(const media::VideoParams& video, const SubtitleFile& subtitles,
             const std::vector<StaticLayer>& layers, const std::vector<TextSlot>& texts);
  // Returns `frame` (taken over) with everything drawn. `frame->pts` must increase from
  // call to call and counts from the start of the stream (libass and `until` use it).
  media::FramePtr process(media::FramePtr frame);
  // Changes a text slot's options (set directly on the filter, never parsed as a graph
  // string), re-initialises it and shows or hides it, from the next frame on.
  void set_text(const std::string& name, const Args& changes, bool enabled);
  // Moves a static layer (overlay's own x and y commands), from the next frame on.
  void move_layer(const std::string& name, int x, int y);
  std::string description() const { return graph_.description(); }

 private:
  AVFilterContext* add_static_layer(AVFilterContext* last, const StaticLayer& layer, AVRational time_base);

  Graph graph_;
  AVFilterContext* source_ = nullptr;
  AVFilterContext* sink_ = nullptr;
  std::map<std::string, AVFilterContext*> texts_;
  std::vector<std::pair<AVFilterContext*, const AVFrame*>> pending_layers_;
};

}  // namespace surg::annotate
