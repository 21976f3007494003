#pragma once
// Rendering done once, not per frame: text boxes, the warning slate and the logo become
// images (drawtext, scale, colorchannelmixer in small one-shot graphs) that the compositor
// overlays on every frame until they change.
#include <string>
#include <vector>

#include "surg/annotate/font.hpp"
#include "surg/media/av.hpp"

namespace surg::annotate {

struct TextStyle {
  Font* font = nullptr;
  int size = 32;  // pixels
  std::string color = "white";
  double box_opacity = 0.6;  // black box behind the text
  int padding = 12;          // box border around the text
  int line_spacing = 4;
};

// Style of text `size` pixels tall with padding and spacing in proportion.
TextStyle text_style(Font& font, int size);

// The lines (already wrapped) in a box, as a yuva420p image cropped to the box.
media::FramePtr render_text_box(const TextStyle& style, const std::vector<std::string>& lines);

// A full frame (width x height, `format`) of centred lines on black.
media::FramePtr render_slate(Font& font, const std::string& text, int width, int height,
                             AVPixelFormat format);

// A PNG decoded, faded to `opacity` and scaled down (aspect kept) to fit max_w x max_h,
// as yuva420p. UsageError when the file is not a PNG.
media::FramePtr load_logo(const std::string& path, double opacity, int max_w, int max_h);

// A fully transparent 2x2 yuva420p image: what a hidden layer shows.
media::FramePtr blank_layer();

}  // namespace surg::annotate
