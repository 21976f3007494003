#pragma once
// The annotation state of a stream: which layers show at which frame (slate, lower third,
// live caption, clock, logo), the commands from --control (caption, title, mark), and the events
// they cause. Independent of I/O: give it frames and commands, get frames and marks back.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "surg/annotate/compositor.hpp"
#include "surg/annotate/font.hpp"
#include "surg/annotate/options.hpp"
#include "surg/events/events.hpp"

namespace surg::annotate {

struct Annotated {
  media::FramePtr frame;           // same pts as the input frame
  std::vector<std::string> marks;  // labels of chapter marks made at this frame
};

// A rendered layer and where it goes.
struct Shown {
  media::FramePtr image;
  int x = 0, y = 0;
  int font_size = 0, padding = 0, line_spacing = 0;  // how text was set, for events
  std::vector<std::string> lines;                    // as wrapped
  nlohmann::json geometry() const;
};

class Annotator {
 public:
  // `live_captions`: keep a caption slot for --control captions.
  Annotator(const Plan& plan, const media::VideoParams& video, events::Emitter& events, bool live_captions);
  // One frame, after the commands received since the previous frame.
  Annotated process(media::FramePtr frame, const std::vector<nlohmann::json>& commands);
  nlohmann::json stats() const;

 private:
  Micros elapsed(const AVFrame& frame);
  void handle(const nlohmann::json& command, std::int64_t pts, Micros now, Annotated& out);
  void show_caption(const std::string& text, Micros until, std::int64_t pts);
  void set_title(std::string text, std::int64_t pts);
  void render_title();
  std::optional<double> lower_third_until() const;
  media::FramePtr slate_frame(const AVFrame& frame);
  void announce_start(std::int64_t pts);  // the first frame after the slate
  void update_title(Micros now, std::int64_t pts);
  void emit_cues(Micros now, std::int64_t pts);
  std::vector<StaticLayer> static_layers() const;
  std::vector<TextSlot> text_slots(bool live_captions);
  Args text_args(Font& font, int size, const std::string& text) const;
  void emit(const std::string& type, nlohmann::json data, std::int64_t pts);
  void count(const char* key);
  std::pair<int, int> place(Corner corner, int w, int h, int bottom_margin) const;
  Shown render_box(Font& font, const std::string& text, int size, int max_lines, Corner corner,
                   int bottom_margin);

  Plan plan_;
  media::VideoParams video_;
  events::Emitter& events_;
  Font regular_, bold_;
  int margin_;
  std::unique_ptr<Compositor> compositor_;
  std::unique_ptr<Compositor> title_layer_;  // null while there is no title
  media::FramePtr slate_;
  Shown logo_, title_, subtitle_;
  int lower_third_bottom_ = 0;   // margin below the lower third
  bool lower_third_on_ = false;  // within --title-duration, after the slate
  std::optional<Micros> caption_until_;
  std::optional<std::int64_t> first_pts_;
  std::int64_t last_graph_pts_ = -1;
  std::size_t next_cue_ = 0;
  bool slate_done_ = false;
  nlohmann::json counts_ = {{"frames", 0},        {"slate_frames", 0}, {"live_captions", 0},
                            {"file_captions", 0}, {"marks", 0},        {"renders", 0}};
};

}  // namespace surg::annotate
