#include "surg/annotate/render.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>

extern "C" {
#include <libavutil/imgutils.h>
}

#include "surg/annotate/graph.hpp"
#include "surg/core/error.hpp"
#include "surg/core/utf8.hpp"

namespace surg::annotate {
namespace {

int even(int v) { return (v + 1) & ~1; }

// Transparent black: the box drawn on it keeps its own colour, the text edges blend into it.
media::FramePtr transparent_canvas(int width, int height) {
  media::FramePtr f = media::alloc_video_frame(even(width), even(height), AV_PIX_FMT_YUVA420P);
  const int fill[4] = {16, 128, 128, 0};
  for (int p = 0; p < 4; ++p) {
    const int rows = p == 1 || p == 2 ? f->height / 2 : f->height;
    std::memset(f->data[p], fill[p], static_cast<std::size_t>(f->linesize[p]) * rows);
  }
  f->pts = 0;
  return f;
}

// Shrinks the image to the bounding box of its visible pixels (the box starts at 0,0).
void crop_to_alpha(AVFrame& f) {
  int right = 0, bottom = 0;
  for (int y = 0; y < f.height; ++y) {
    const uint8_t* row = f.data[3] + static_cast<std::ptrdiff_t>(y) * f.linesize[3];
    for (int x = f.width - 1; x >= 0; --x) {
      if (row[x] == 0) continue;
      right = std::max(right, x + 1);
      bottom = y + 1;
      break;
    }
  }
  f.width = std::max(2, even(right));
  f.height = std::max(2, even(bottom));
}

// drawtext blends a colour's alpha into the alpha plane by that same alpha (a^2 results):
// the square root gives the box the opacity asked for once it is overlaid.
std::string box_color(double opacity) { return "black@" + std::to_string(std::sqrt(opacity)); }

Args drawtext_args(const TextStyle& s, const std::string& text) {
  return {{"fontfile", s.font->path()}, {"text", text},
          {"expansion", "none"},        {"fontsize", std::to_string(s.size)},
          {"fontcolor", s.color},       {"line_spacing", std::to_string(s.line_spacing)}};
}

media::FramePtr decode_png(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() < 8 || bytes.compare(0, 8, "\x89PNG\r\n\x1a\n", 8) != 0)
    throw UsageError("--logo " + path + ": not a PNG image");
  const AVCodec* codec = avcodec_find_decoder(AV_CODEC_ID_PNG);
  media::CodecContextPtr dec(avcodec_alloc_context3(codec));
  media::av_check(avcodec_open2(dec.get(), codec, nullptr), "avcodec_open2", "png");
  media::PacketPtr packet = media::make_packet();
  media::av_check(av_new_packet(packet.get(), static_cast<int>(bytes.size())), "av_new_packet");
  std::memcpy(packet->data, bytes.data(), bytes.size());
  media::FramePtr frame = media::make_frame();
  if (avcodec_send_packet(dec.get(), packet.get()) < 0 || avcodec_send_packet(dec.get(), nullptr) < 0 ||
      avcodec_receive_frame(dec.get(), frame.get()) < 0)
    throw UsageError("--logo " + path + ": cannot decode the PNG image");
  frame->pts = 0;
  return frame;
}

}  // namespace

TextStyle text_style(Font& font, int size) {
  TextStyle s;
  s.font = &font;
  s.size = size;
  s.padding = std::max(4, size * 3 / 10);
  s.line_spacing = std::max(2, size / 6);
  return s;
}

media::FramePtr render_text_box(const TextStyle& style, const std::vector<std::string>& lines) {
  int width = 0;
  for (const auto& line : lines) width = std::max(width, style.font->width(to_u32(line), style.size));
  const int line_h = style.font->line_height(style.size) + style.line_spacing;
  const int slack = style.size;  // drawtext's glyph boxes may exceed the font's metrics a little
  media::FramePtr canvas = transparent_canvas(
      width + 2 * style.padding + slack, static_cast<int>(lines.size()) * line_h + 2 * style.padding + slack);
  std::string text;
  for (const auto& line : lines) text += (text.empty() ? "" : "\n") + line;
  Args args = drawtext_args(style, text);
  args.insert(args.end(), {{"box", "1"},
                           {"boxcolor", box_color(style.box_opacity)},
                           {"boxborderw", std::to_string(style.padding)},
                           {"x", std::to_string(style.padding)},
                           {"y", std::to_string(style.padding)}});
  Graph g;
  AVFilterContext* src = g.add("buffer", "canvas",
                               video_source_args(canvas->width, canvas->height, AV_PIX_FMT_YUVA420P, {1, 1}));
  AVFilterContext* sink = g.chain(src, {g.add("drawtext", "text", args), g.add("buffersink", "out")});
  media::FramePtr out = run_once(g, src, sink, *canvas);
  crop_to_alpha(*out);
  return out;
}

media::FramePtr render_slate(Font& font, const std::string& text, int width, int height,
                             AVPixelFormat format) {
  const TextBlock block = fit_text(font, text, height / 16, height / 40, width * 85 / 100, 14);
  const int line_h = font.line_height(block.size) + block.size / 4;
  const int ascent = font.ascender(block.size);
  int baseline = (height - static_cast<int>(block.lines.size()) * line_h) / 2 + ascent;
  media::FramePtr canvas = media::alloc_video_frame(width, height, format);
  const ptrdiff_t linesizes[4] = {canvas->linesize[0], canvas->linesize[1], canvas->linesize[2],
                                  canvas->linesize[3]};
  media::av_check(av_image_fill_black(canvas->data, linesizes, format, AVCOL_RANGE_MPEG, width, height),
                  "av_image_fill_black");
  canvas->pts = 0;
  Graph g;
  AVFilterContext* last = g.add("buffer", "canvas", video_source_args(width, height, format, {1, 1}));
  AVFilterContext* src = last;
  const TextStyle style = text_style(font, block.size);
  for (std::size_t i = 0; i < block.lines.size(); ++i, baseline += line_h) {
    if (block.lines[i].empty()) continue;
    Args args = drawtext_args(style, block.lines[i]);
    // Centred line; y puts every line's baseline on the grid whatever its glyphs.
    args.insert(args.end(), {{"x", "(w-text_w)/2"}, {"y", std::to_string(baseline) + "-ascent"}});
    last = g.chain(last, {g.add("drawtext", "line" + std::to_string(i), args)});
  }
  AVFilterContext* sink = g.chain(last, {g.add("format", "fmt", {{"pix_fmts", av_get_pix_fmt_name(format)}}),
                                         g.add("buffersink", "out")});
  return run_once(g, src, sink, *canvas);
}

media::FramePtr load_logo(const std::string& path, double opacity, int max_w, int max_h) {
  media::FramePtr png = decode_png(path);
  const double scale =
      std::min({1.0, static_cast<double>(max_w) / png->width, static_cast<double>(max_h) / png->height});
  const int w = std::max(2, even(static_cast<int>(png->width * scale)));
  const int h = std::max(2, even(static_cast<int>(png->height * scale)));
  Graph g;
  AVFilterContext* src =
      g.add("buffer", "logo",
            video_source_args(png->width, png->height, static_cast<AVPixelFormat>(png->format), {1, 1}));
  AVFilterContext* sink = g.chain(
      src, {g.add("format", "rgba", {{"pix_fmts", "rgba"}}),
            g.add("colorchannelmixer", "opacity", {{"aa", std::to_string(opacity)}}),
            g.add("scale", "fit", {{"w", std::to_string(w)}, {"h", std::to_string(h)}, {"flags", "lanczos"}}),
            g.add("format", "yuva", {{"pix_fmts", "yuva420p"}}), g.add("buffersink", "out")});
  return run_once(g, src, sink, *png);
}

media::FramePtr blank_layer() { return transparent_canvas(2, 2); }

}  // namespace surg::annotate
