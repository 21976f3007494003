#include "surg/annotate/annotator.hpp"

#include <filesystem>

#include <spdlog/spdlog.h>

#include "surg/annotate/render.hpp"
#include "surg/core/error.hpp"
#include "surg/media/mark_label.hpp"
#include "surg/media/pool.hpp"

namespace surg::annotate {
namespace {

constexpr const char* kLogo = "logo";
constexpr const char* kTitle = "title";
constexpr const char* kSubtitle = "subtitle";
constexpr const char* kCaption = "caption";
constexpr const char* kClock = "clock";

bool is_left(Corner c) { return c == Corner::top_left || c == Corner::bottom_left; }
bool is_right(Corner c) { return c == Corner::top_right || c == Corner::bottom_right; }
bool is_top(Corner c) { return c == Corner::top_left || c == Corner::top_center || c == Corner::top_right; }

// What the subtitles filter needs to draw SRT/WebVTT with our font, as a boxed caption.
SubtitleFile subtitle_file(const Plan& s, const Font& font) {
  if (s.captions_path.empty()) return {};
  return {s.captions_path, std::filesystem::path(s.font).parent_path().string(),
          "FontName=" + font.family() +
              ",FontSize=14,BorderStyle=4,Outline=1,Shadow=0,BackColour=&H66000000,MarginV=14"};
}

// drawtext's own expansion, on text of ours only (user text always has expansion=none).
std::string clock_template(ClockMode mode) {
  return mode == ClockMode::wall ? "%{localtime:%H\\:%M\\:%S}" : "%{pts:gmtime:0:%H\\:%M\\:%S}";
}

// drawtext position expressions for a corner (text_w/text_h are drawtext's own measures).
std::pair<std::string, std::string> corner_expr(Corner c, int margin) {
  const std::string m = std::to_string(margin);
  const std::string x = is_left(c) ? m : is_right(c) ? "w-text_w-" + m : "(w-text_w)/2";
  const std::string y = is_top(c) ? m : "h-text_h-" + m;
  return {x, y};
}

}  // namespace

nlohmann::json Shown::geometry() const {
  nlohmann::json g = {{"x", x}, {"y", y}, {"w", image ? image->width : 0}, {"h", image ? image->height : 0}};
  if (font_size > 0)
    g.update(
        {{"font_size", font_size}, {"padding", padding}, {"line_spacing", line_spacing}, {"lines", lines}});
  return g;
}

Annotator::Annotator(const Plan& plan, const media::VideoParams& video, events::Emitter& events,
                     bool live_captions)
    : plan_(plan),
      video_(video),
      events_(events),
      regular_(plan.font),
      bold_(plan.font_bold),
      margin_(std::max(8, video.height / 27)) {
  if (plan_.warning.count() > 0)
    // Packed once, so each slate frame is written from the slate's own pixels (no copy).
    slate_ = media::packed_copy(
        *render_slate(bold_, plan_.warning_text, video_.width, video_.height, video_.format));
  if (!plan_.logo.empty()) {
    logo_.image = load_logo(plan_.logo, plan_.logo_opacity, video_.width / 4, video_.height / 4);
    std::tie(logo_.x, logo_.y) = place(plan_.logo_position, logo_.image->width, logo_.image->height, margin_);
  }
  // Lower third, rendered once: the title above the subtitle, kept above the caption area.
  lower_third_bottom_ = is_top(plan_.position) ? margin_ : video_.height * 3 / 20;
  if (!plan_.subtitle.empty())
    subtitle_ =
        render_box(regular_, plan_.subtitle, video_.height / 24, 3, plan_.position, lower_third_bottom_);
  render_title();
  compositor_ = std::make_unique<Compositor>(video_, subtitle_file(plan_, regular_), static_layers(),
                                             text_slots(live_captions));
}

std::optional<double> Annotator::lower_third_until() const {
  if (!plan_.title_duration) return std::nullopt;
  return (plan_.warning + *plan_.title_duration).count() / 1e6;
}

std::vector<StaticLayer> Annotator::static_layers() const {
  std::vector<StaticLayer> layers;
  if (logo_.image) layers.push_back({kLogo, logo_.image.get(), logo_.x, logo_.y, std::nullopt});
  if (subtitle_.image)
    layers.push_back({kSubtitle, subtitle_.image.get(), subtitle_.x, subtitle_.y, lower_third_until()});
  return layers;
}

// The title is not a layer of the main graph but a one-overlay Compositor of its own, drawn
// after it, so that the "title" command can replace it: a graph's overlaid image cannot be
// swapped without a copy of every frame (compositor.hpp), while this small graph is built
// again only when the title changes (about 3 ms at 1080p, text rendering included) and the
// main one (libass, drawtext states) is left alone. With
// no title there is no such graph and nothing to pay per frame; started without --title, the
// first command creates it where --title would have put it (doc/extending.md).
void Annotator::render_title() {
  const bool top = is_top(plan_.position);
  title_layer_.reset();  // before its image goes
  title_ = {};
  if (!plan_.title.empty()) {
    const int below = subtitle_.image && !top ? subtitle_.image->height + margin_ / 4 : 0;
    title_ =
        render_box(bold_, plan_.title, video_.height / 18, 3, plan_.position, lower_third_bottom_ + below);
    title_layer_ = std::make_unique<Compositor>(
        video_, SubtitleFile{},
        std::vector<StaticLayer>{{kTitle, title_.image.get(), title_.x, title_.y, lower_third_until()}},
        std::vector<TextSlot>{});
  }
  if (!subtitle_.image || !top) return;
  // At the top the subtitle sits under the title, or in its place when there is none.
  subtitle_.y = title_.image ? title_.y + title_.image->height + margin_ / 4 : margin_ & ~1;
  if (compositor_) compositor_->move_layer(kSubtitle, subtitle_.x, subtitle_.y);
}

// A new title from the next frame on (this one: commands come before the frame is drawn).
void Annotator::set_title(std::string text, std::int64_t pts) {
  if (text == plan_.title) return;  // nothing to draw again
  plan_.title = std::move(text);
  render_title();
  nlohmann::json data = title_.image ? title_.geometry() : nlohmann::json::object();
  data.update({{"layer", kTitle},
               {"visible", lower_third_on_ && title_.image != nullptr},
               {"text", plan_.title},
               {"source", "live"}});
  emit("overlay", std::move(data), pts);
}

Args Annotator::text_args(Font& font, int size, const std::string& text) const {
  const TextStyle style = text_style(font, size);
  return {{"fontfile", font.path()},
          {"text", text},
          {"expansion", "none"},
          {"fontsize", std::to_string(size)},
          {"fontcolor", style.color},
          {"box", "1"},
          {"boxcolor", "black@" + std::to_string(style.box_opacity)},
          {"boxborderw", std::to_string(style.padding)},
          {"line_spacing", std::to_string(style.line_spacing)}};
}

std::vector<TextSlot> Annotator::text_slots(bool live_captions) {
  std::vector<TextSlot> slots;
  if (live_captions) slots.push_back({kCaption, text_args(regular_, video_.height / 22, " "), false});
  if (plan_.clock != ClockMode::none) {
    const int size = video_.height / 28;
    Args args = text_args(regular_, size, clock_template(plan_.clock));
    const auto [x, y] = corner_expr(plan_.clock_position, margin_ + text_style(regular_, size).padding);
    for (auto& [key, value] : args)
      if (key == "expansion") value = "normal";  // our template, never user text
    args.insert(args.end(), {{"x", x}, {"y", y}});
    slots.push_back({kClock, std::move(args), true});
  }
  return slots;
}

std::pair<int, int> Annotator::place(Corner corner, int w, int h, int bottom_margin) const {
  const int x = is_left(corner)    ? margin_
                : is_right(corner) ? video_.width - w - margin_
                                   : (video_.width - w) / 2;
  const int y = is_top(corner) ? margin_ : std::max(0, video_.height - h - bottom_margin);
  return {std::max(0, x) & ~1, y & ~1};  // even: chroma samples line up with the luma they belong to
}

Shown Annotator::render_box(Font& font, const std::string& text, int size, int max_lines, Corner corner,
                            int bottom_margin) {
  const TextStyle probe = text_style(font, size);
  const int max_width = video_.width - 2 * margin_ - 2 * probe.padding;
  const TextBlock block = fit_text(font, text, size, std::max(10, size / 2), max_width, max_lines);
  if (block.truncated)
    spdlog::warn("text too long for the frame even at {} px; its end is cut: {}", block.size, text);
  Shown shown;
  const TextStyle style = text_style(font, block.size);
  shown.image = render_text_box(style, block.lines);
  shown.font_size = style.size;
  shown.padding = style.padding;
  shown.line_spacing = style.line_spacing;
  shown.lines = block.lines;
  std::tie(shown.x, shown.y) = place(corner, shown.image->width, shown.image->height, bottom_margin);
  count("renders");
  return shown;
}

Micros Annotator::elapsed(const AVFrame& frame) {
  if (!first_pts_) first_pts_ = frame.pts;
  return media::to_micros(frame.pts - *first_pts_, video_.time_base);
}

void Annotator::emit(const std::string& type, nlohmann::json data, std::int64_t pts) {
  events_.emit(type, std::move(data), pts, {video_.time_base.num, video_.time_base.den});
}

void Annotator::show_caption(const std::string& text, Micros until, std::int64_t pts) {
  if (text.empty()) {
    compositor_->set_text(kCaption, {}, false);
    caption_until_.reset();
    emit("caption", {{"source", "live"}, {"text", ""}}, pts);
    return;
  }
  const int size = video_.height / 22;
  const int max_width = video_.width - 2 * margin_ - 2 * text_style(regular_, size).padding;
  const TextBlock block = fit_text(regular_, text, size, std::max(10, size / 2), max_width, 3);
  if (block.truncated) spdlog::warn("caption too long for the frame: its end is cut ({} bytes)", text.size());
  const TextStyle style = text_style(regular_, block.size);
  std::string joined;
  for (const auto& line : block.lines) joined += (joined.empty() ? "" : "\n") + line;
  // Centred from the measured width (FreeType advances, as drawtext lays them out). Timed
  // captions from a file own the bottom centre: a live caption then goes to the top centre.
  Args args = text_args(regular_, block.size, joined.empty() ? " " : joined);
  const std::string y = plan_.captions_path.empty()
                            ? "h-text_h-" + std::to_string(video_.height / 20 + style.padding)
                            : std::to_string(margin_ + style.padding);
  args.insert(args.end(), {{"x", std::to_string((video_.width - block.width) / 2)}, {"y", y}});
  compositor_->set_text(kCaption, args, true);
  caption_until_ = until;
  count("live_captions");
  nlohmann::json data = {
      {"source", "live"}, {"text", text}, {"lines", block.lines}, {"drawtext", nlohmann::json::object()}};
  for (const auto& [key, value] : args)
    if (key != "text") data["drawtext"][key] = value;
  emit("caption", std::move(data), pts);
}

void Annotator::handle(const nlohmann::json& command, std::int64_t pts, Micros now, Annotated& out) {
  const std::string cmd = command.value("cmd", "");
  if (cmd == "caption") {
    if (!command.contains("text") || !command["text"].is_string())
      return spdlog::warn("caption command without a \"text\" string: {}", command.dump());
    Micros duration = plan_.caption_duration;
    if (command.contains("duration")) {
      // Checked like --caption-duration: 1e300 or -1 is refused, never converted (overflow).
      const auto given = command["duration"].is_number()
                             ? seconds_to_micros(command["duration"].get<double>())
                             : std::nullopt;
      if (!given || given->count() == 0)
        return spdlog::warn("caption command: \"duration\" must be seconds, above 0 and at most 1e8");
      duration = *given;
    }
    std::string text = command["text"].get<std::string>();
    if (const auto why = caption_problem(text))
      return spdlog::warn(
          "caption command refused: its text {} (a caption is UTF-8 text of at most {} bytes, "
          "without control characters other than newlines)",
          *why, kMaxCaptionBytes);
    show_caption(text, now + duration, pts);
  } else if (cmd == "title") {
    if (!command.contains("text") || !command["text"].is_string())
      return spdlog::warn("title command without a \"text\" string: {}", command.dump());
    // Checked as --title is (options.hpp), and never echoed when it fails.
    std::string text = command["text"].get<std::string>();
    if (const auto why = title_problem(text))
      return spdlog::warn(
          "title command refused: its text {} (a title is one line of UTF-8 text, at most {} "
          "bytes); the title is unchanged",
          *why, kMaxTitleBytes);
    set_title(std::move(text), pts);
  } else if (cmd == "mark") {
    if (!command.contains("label") || !command["label"].is_string())
      return spdlog::warn("mark command without a \"label\" string: {}", command.dump());
    // A label titles chapters and lands in logs and sidecars: checked, never echoed when it
    // fails (media/mark_label.hpp).
    std::string label = command["label"].get<std::string>();
    if (const auto why = media::mark_label_problem(label))
      return spdlog::warn(
          "mark command refused: its label {} (a label is one line of UTF-8 text, at most {} "
          "bytes); no mark was made",
          *why, media::kMaxMarkLabelBytes);
    out.marks.push_back(std::move(label));
    count("marks");
    emit("mark", {{"label", out.marks.back()}}, pts);
  } else {
    spdlog::debug("control command ignored by surg-annotate: {}", command.dump());
  }
}

media::FramePtr Annotator::slate_frame(const AVFrame& frame) {
  media::FramePtr out = media::clone_frame(*slate_);  // shares the slate's pixels: no copy
  av_frame_copy_props(out.get(), &frame);
  out->pts = frame.pts;
  count("slate_frames");
  return out;
}

void Annotator::update_title(Micros now, std::int64_t pts) {
  const bool visible = !plan_.title_duration || now < plan_.warning + *plan_.title_duration;
  if (visible == lower_third_on_) return;
  lower_third_on_ = visible;
  for (const auto* layer : {&title_, &subtitle_}) {
    if (!layer->image) continue;
    nlohmann::json data = layer->geometry();
    data.update({{"layer", layer == &title_ ? kTitle : kSubtitle},
                 {"visible", visible},
                 {"text", layer == &title_ ? plan_.title : plan_.subtitle}});
    emit("overlay", std::move(data), pts);
  }
}

void Annotator::emit_cues(Micros now, std::int64_t pts) {
  const auto& cues = plan_.cues;
  for (; next_cue_ < cues.size() && cues[next_cue_].start <= now; ++next_cue_) {
    if (cues[next_cue_].end <= now) continue;  // over before this frame: never on screen
    count("file_captions");
    emit("caption",
         {{"source", "file"},
          {"text", cues[next_cue_].text},
          {"start", cues[next_cue_].start.count() / 1e6},
          {"end", cues[next_cue_].end.count() / 1e6}},
         pts);
  }
}

void Annotator::announce_start(std::int64_t pts) {
  if (slate_) emit("warning", {{"state", "end"}}, pts);
  if (logo_.image) {
    nlohmann::json data = logo_.geometry();
    data.update({{"layer", kLogo}, {"visible", true}});
    emit("overlay", std::move(data), pts);
  }
}

Annotated Annotator::process(media::FramePtr frame, const std::vector<nlohmann::json>& commands) {
  Annotated out;
  if (frame->pts == AV_NOPTS_VALUE) frame->pts = first_pts_.value_or(0) + last_graph_pts_ + 1;
  const Micros now = elapsed(*frame);
  const std::int64_t pts = frame->pts;
  count("frames");
  for (const auto& command : commands) handle(command, pts, now, out);
  if (caption_until_ && now >= *caption_until_) show_caption("", now, pts);
  emit_cues(now, pts);
  if (slate_ && now < plan_.warning) {
    if (counts_["slate_frames"].get<int>() == 0)
      emit("warning", {{"state", "start"}, {"duration", plan_.warning.count() / 1e6}}, pts);
    out.frame = slate_frame(*frame);
    return out;
  }
  if (!slate_done_) announce_start(pts);
  slate_done_ = true;
  update_title(now, pts);
  // libass and the overlays see time from the start of the stream, strictly increasing.
  last_graph_pts_ = std::max(last_graph_pts_ + 1, pts - *first_pts_);
  frame->pts = last_graph_pts_;
  out.frame = compositor_->process(std::move(frame));
  if (title_layer_) out.frame = title_layer_->process(std::move(out.frame));
  out.frame->pts = pts;
  return out;
}

void Annotator::count(const char* key) { counts_[key] = counts_[key].get<std::int64_t>() + 1; }

nlohmann::json Annotator::stats() const { return counts_; }

}  // namespace surg::annotate
