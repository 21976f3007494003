#include "surg/annotate/graph.hpp"

#include <spdlog/spdlog.h>

extern "C" {
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

#include "surg/core/error.hpp"

namespace surg::annotate {

Graph::Graph() : graph_(avfilter_graph_alloc()) {
  if (!graph_) throw RuntimeError("avfilter_graph_alloc: out of memory");
  graph_->nb_threads = 1;
  media::route_ffmpeg_logs();
}

AVFilterContext* Graph::add(const std::string& filter, const std::string& id, const Args& args) {
  const AVFilter* f = avfilter_get_by_name(filter.c_str());
  if (!f) throw RuntimeError("libavfilter has no filter '" + filter + "'");
  AVFilterContext* ctx = avfilter_graph_alloc_filter(graph_.get(), f, id.c_str());
  if (!ctx) throw RuntimeError("avfilter_graph_alloc_filter(" + filter + "): out of memory");
  for (const auto& [key, value] : args)
    media::av_check(av_opt_set(ctx, key.c_str(), value.c_str(), AV_OPT_SEARCH_CHILDREN), "av_opt_set",
                    filter + " option " + key);
  media::av_check(avfilter_init_str(ctx, nullptr), "avfilter_init_str", filter + "@" + id);
  lines_.push_back(filter_description(filter, id, args));
  return ctx;
}

void Graph::link(AVFilterContext* from, AVFilterContext* to, unsigned to_pad) {
  media::av_check(avfilter_link(from, 0, to, to_pad), "avfilter_link",
                  std::string(from->name) + " -> " + to->name);
  lines_.push_back("# " + std::string(from->name) + " -> " + to->name + ":" + std::to_string(to_pad));
}

AVFilterContext* Graph::chain(AVFilterContext* from, const std::vector<AVFilterContext*>& filters) {
  for (AVFilterContext* f : filters) {
    link(from, f);
    from = f;
  }
  return from;
}

void Graph::configure() {
  spdlog::debug("filter graph:\n{}", description());
  media::av_check(avfilter_graph_config(graph_.get(), nullptr), "avfilter_graph_config");
}

void Graph::command(const std::string& id, const std::string& cmd, const std::string& arg) {
  char reply[64] = {};
  media::av_check(
      avfilter_graph_send_command(graph_.get(), id.c_str(), cmd.c_str(), arg.c_str(), reply, sizeof reply, 0),
      "avfilter_graph_send_command", id + " " + cmd);
}

std::string Graph::description() const {
  std::string text;
  for (const auto& line : lines_) text += line + "\n";
  return text;
}

Args video_source_args(int width, int height, AVPixelFormat format, AVRational time_base, AVRational sar) {
  if (sar.num <= 0 || sar.den <= 0) sar = {1, 1};
  return {{"width", std::to_string(width)},
          {"height", std::to_string(height)},
          {"pix_fmt", av_get_pix_fmt_name(format)},
          {"time_base", std::to_string(time_base.num) + "/" + std::to_string(time_base.den)},
          {"pixel_aspect", std::to_string(sar.num) + "/" + std::to_string(sar.den)}};
}

void push_frame(AVFilterContext* source, AVFrame* frame) {
  // Layers change size with their text; overlay reads each frame's own size, so the
  // source's declared size is not enforced.
  media::av_check(av_buffersrc_add_frame_flags(source, frame, AV_BUFFERSRC_FLAG_NO_CHECK_FORMAT),
                  "av_buffersrc_add_frame", source->name);
}

media::FramePtr pull_frame(AVFilterContext* sink) {
  media::FramePtr frame = media::make_frame();
  const int ret = av_buffersink_get_frame(sink, frame.get());
  if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) return nullptr;
  media::av_check(ret, "av_buffersink_get_frame", sink->name);
  return frame;
}

media::FramePtr run_once(Graph& graph, AVFilterContext* source, AVFilterContext* sink, const AVFrame& input) {
  graph.configure();
  media::FramePtr frame = media::clone_frame(input);
  push_frame(source, frame.get());
  push_frame(source, nullptr);
  media::FramePtr out = pull_frame(sink);
  if (!out) throw RuntimeError("filter graph produced no frame");
  return out;
}

}  // namespace surg::annotate
