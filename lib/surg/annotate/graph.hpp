#pragma once
// A libavfilter graph built through the API: filters are allocated one by one and every
// option is set with av_opt_set, so no value is ever parsed as graph syntax.
#include <string>
#include <vector>

#include "surg/annotate/escape.hpp"
#include "surg/media/av.hpp"

namespace surg::annotate {

class Graph {
 public:
  Graph();  // one thread: the benchmark target is one core, and slices of small overlays gain nothing
  // Adds filter `filter` named `id` (unique in the graph) with its options; throws RuntimeError
  // naming the filter and option that libavfilter refused.
  AVFilterContext* add(const std::string& filter, const std::string& id, const Args& args = {});
  void link(AVFilterContext* from, AVFilterContext* to, unsigned to_pad = 0);
  // Adds each filter after `from`, linked in a chain; returns the last one.
  AVFilterContext* chain(AVFilterContext* from, const std::vector<AVFilterContext*>& filters);
  void configure();
  // Sends a runtime command (e.g. overlay "x") to the filter named `id`.
  void command(const std::string& id, const std::string& cmd, const std::string& arg);
  // The graph as text (escape.hpp), one filter a line, for debug logs.
  std::string description() const;

 private:
  media::FilterGraphPtr graph_;
  std::vector<std::string> lines_;
};

// Options of a "buffer" source for frames of this geometry.
Args video_source_args(int width, int height, AVPixelFormat format, AVRational time_base,
                       AVRational sample_aspect_ratio = {1, 1});
// Gives `frame` to a buffer source, which takes over its reference (the frame is left
// empty): a frame only the graph holds is writable, so filters draw on it without a copy.
// Null signals the end.
void push_frame(AVFilterContext* source, AVFrame* frame);
// The next frame of a sink, or null when it has none now (or at end).
media::FramePtr pull_frame(AVFilterContext* sink);
// Runs a one-shot graph source -> ... -> sink on `input` and returns its single output.
media::FramePtr run_once(Graph& graph, AVFilterContext* source, AVFilterContext* sink, const AVFrame& input);

}  // namespace surg::annotate
