// Rendered text is the text as given: the same pixels as drawtext reading it from a file
// (textfile=, no escaping involved), and %{...} is never expanded.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>

#include "helpers.hpp"
#include "surg/annotate/graph.hpp"
#include "surg/annotate/options.hpp"
#include "surg/annotate/render.hpp"
#include "surg/core/error.hpp"

using namespace surg::annotate;
using surg::media::FramePtr;

namespace {

// drawtext with textfile= on a transparent canvas, cropped to the box like render_text_box.
FramePtr reference_box(const TextStyle& s, const std::string& text) {
  const std::string path = test::temp_path("text.txt");
  std::ofstream(path, std::ios::binary) << text;
  FramePtr canvas = surg::media::alloc_video_frame(1200, 200, AV_PIX_FMT_YUVA420P);
  const int fill[4] = {16, 128, 128, 0};
  for (int p = 0; p < 4; ++p)
    std::memset(canvas->data[p], fill[p], canvas->linesize[p] * (p == 1 || p == 2 ? 100 : 200));
  canvas->pts = 0;
  Graph g;
  AVFilterContext* src = g.add("buffer", "in", video_source_args(1200, 200, AV_PIX_FMT_YUVA420P, {1, 1}));
  AVFilterContext* sink =
      g.chain(src, {g.add("drawtext", "t",
                          {{"fontfile", s.font->path()},
                           {"textfile", path},
                           {"expansion", "none"},
                           {"fontsize", std::to_string(s.size)},
                           {"fontcolor", s.color},
                           {"line_spacing", std::to_string(s.line_spacing)},
                           {"box", "1"},
                           {"boxcolor", "black@" + std::to_string(std::sqrt(s.box_opacity))},
                           {"boxborderw", std::to_string(s.padding)},
                           {"x", std::to_string(s.padding)},
                           {"y", std::to_string(s.padding)}}),
                    g.add("buffersink", "out")});
  FramePtr out = run_once(g, src, sink, *canvas);
  std::remove(path.c_str());
  return out;
}

}  // namespace

TEST_CASE("hostile text renders exactly like the same bytes read from a file") {
  Font font(kDefaultFont);
  const TextStyle style = text_style(font, 24);
  for (const std::string text : {"a:b'c%{pts}\\n;[x]drawtext=text=pwned:fontsize=500",
                                 "l'été : 100% — C:\\temp\\ Ωμέγα", "%{localtime}%{eif\\:1\\:d}"}) {
    INFO(text);
    FramePtr box = render_text_box(style, {text});
    FramePtr ref = reference_box(style, text);
    CHECK(box->format == AV_PIX_FMT_YUVA420P);
    CHECK(box->width > font.width(U"a:b", 24));
    for (int p = 0; p < 4; ++p) {
      const int div = p == 1 || p == 2 ? 2 : 1;
      CHECK(test::same_plane(*box, *ref, p, box->width / div, box->height / div));
    }
  }
}

TEST_CASE("%{pts} stays literal: it differs from its expansion") {
  Font font(kDefaultFont);
  FramePtr literal = render_text_box(text_style(font, 24), {"%{pts}"});
  FramePtr expanded = render_text_box(text_style(font, 24), {"0.000000"});
  CHECK(literal->width != expanded->width);
}

TEST_CASE("a text box is as wide as the text plus its padding") {
  Font font(kDefaultFont);
  const TextStyle style = text_style(font, 30);
  FramePtr box = render_text_box(style, {"Ureteroscopy", "laser lithotripsy of the stone"});
  const int text_w = font.width(U"laser lithotripsy of the stone", 30);
  CHECK(std::abs(box->width - (text_w + 2 * style.padding)) <= 2);
  CHECK(box->height > 2 * font.line_height(30));
  CHECK(std::abs(box->data[3][0] - 153) <= 2);  // the box is 60% opaque
}

TEST_CASE("the slate is a full frame with centred text on black") {
  Font font(kDefaultBoldFont);
  FramePtr slate = render_slate(font, default_warning_text("en,fr"), 320, 240, AV_PIX_FMT_YUV420P);
  CHECK(slate->width == 320);
  CHECK(slate->height == 240);
  CHECK(slate->format == AV_PIX_FMT_YUV420P);
  CHECK(test::changed(*slate, 0, 0, 10, 10, 16) == 0);       // black corner
  CHECK(test::changed(*slate, 40, 40, 240, 160, 16) > 500);  // text in the middle
}

TEST_CASE("the logo keeps its alpha, faded and scaled to fit") {
  // A 200x100 RGBA PNG, left half opaque red, right half transparent.
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
  surg::media::CodecContextPtr enc(avcodec_alloc_context3(codec));
  enc->width = 200, enc->height = 100, enc->pix_fmt = AV_PIX_FMT_RGBA, enc->time_base = {1, 1};
  REQUIRE(avcodec_open2(enc.get(), codec, nullptr) == 0);
  FramePtr rgba = surg::media::alloc_video_frame(200, 100, AV_PIX_FMT_RGBA);
  for (int y = 0; y < 100; ++y)
    for (int x = 0; x < 200; ++x) {
      uint8_t* px = rgba->data[0] + y * rgba->linesize[0] + 4 * x;
      px[0] = 255, px[1] = 0, px[2] = 0, px[3] = x < 100 ? 255 : 0;
    }
  rgba->pts = 0;
  auto packet = surg::media::make_packet();
  REQUIRE(avcodec_send_frame(enc.get(), rgba.get()) == 0);
  REQUIRE(avcodec_receive_packet(enc.get(), packet.get()) == 0);
  const std::string path = test::temp_path("logo.png");
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<char*>(packet->data), packet->size);

  FramePtr logo = load_logo(path, 0.5, 100, 100);
  std::remove(path.c_str());
  CHECK(logo->format == AV_PIX_FMT_YUVA420P);
  CHECK(logo->width == 100);
  CHECK(logo->height == 50);
  CHECK(std::abs(logo->data[3][10 * logo->linesize[3] + 10] - 128) <= 3);  // opaque half, faded
  CHECK(logo->data[3][10 * logo->linesize[3] + 90] <= 2);                  // transparent half
  CHECK_THROWS_AS(load_logo("/etc/hostname", 1, 10, 10), surg::UsageError);
}

TEST_CASE("slate text is literal too") {
  Font font(kDefaultBoldFont);
  FramePtr literal = render_slate(font, "%{pts}", 320, 240, AV_PIX_FMT_YUV420P);
  FramePtr expanded = render_slate(font, "0.000000", 320, 240, AV_PIX_FMT_YUV420P);
  CHECK_FALSE(test::same_plane(*literal, *expanded, 0, 320, 240));
}
