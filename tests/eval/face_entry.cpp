// Faces in motion for tests/eval/face_entry.sh: labelled photos slid, panned and zoomed into a
// 1280x720 frame over an operating-room or endoscope background, entering from every edge at
// several speeds and sizes, with cuts between photos; then the tool's output scored per face
// and frame. OpenCV and nlohmann-json only (no surg library), built by face_entry.sh.
//
//   face_entry make MANIFEST BACKGROUNDS CLIPS SEED TRUTH > frames.bgr24
//     MANIFEST: face_truth.py lines (SET, IMAGE, "x y w h" or "-"); BACKGROUNDS: a file of image
//     paths; writes CLIPS clips of kClipFrames raw BGR frames to stdout and every visible face
//     box (frame, track, x, y, w, h) to TRUTH.
//   face_entry measure TRUTH < out.rgb24 > MEASURES
//     reads the tool's output (rgb24, filled with the key green #00ff00): a face is covered on
//     a frame when >= 90% of its visible box is key green;
//   face_entry report MEASURES EVENTS
//     ... or when the frame is the privacy slate (the tool's --events, read once it has
//     finished). Prints per-size tables and, last, a line of shell assignments.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "manifest.hpp"

namespace {

const cv::Size kFrame(1280, 720);
constexpr int kClipFrames = 90;     // 3 s at 30 fps, then a cut
constexpr double kRestInside = 40;  // px: where the photo stops, past the edge it came from
constexpr double kVisible = 0.5;    // a face counts on a frame when half its box is in view
constexpr double kCovered = 0.9;
// A face is covered by a box of its own when the filled region over it is at most this many
// times its box: a track's frames run from the first to the last of those. A face the tool
// never found can be filled by another face's box for a while (a zooming photo detected whole);
// its uncovered frames count against its size's share, not as a break in a track.
constexpr double kOwnArea = 16;

using Photo = surg::eval::LabelledImage;

// The photos with at least one labelled face.
std::vector<Photo> read_photos(const std::string& manifest) {
  auto photos = surg::eval::read_manifest(manifest);
  std::erase_if(photos, [](const Photo& p) { return p.faces.empty(); });
  return photos;
}

std::vector<std::string> read_lines(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) out.push_back(l);
  return out;
}

// One clip: the photo at zoom z0 -> z1, its top-left moving from `from` to `to` over the clip
// (entering from an edge), stopping at `to` after `settle` frames.
struct Motion {
  double z0, z1;
  cv::Point2d from, to;
  int settle;
};

Motion plan(cv::Size size, int edge, double speed, double zoom, bool zooming) {
  Motion m{zoom, zooming ? zoom * 1.6 : zoom, {}, {}, 0};
  const cv::Size2d s(size.width * zoom, size.height * zoom);
  // Start just outside the chosen edge, centred along it; rest just inside it (or centred
  // when the photo is larger than the frame that way).
  const cv::Point2d centred((kFrame.width - s.width) / 2, (kFrame.height - s.height) / 2);
  m.to = m.from = centred;
  switch (edge) {
    case 0:
      m.from.x = -s.width, m.to.x = std::min(centred.x, kRestInside);
      break;
    case 1:
      m.from.x = kFrame.width, m.to.x = std::max(centred.x, kFrame.width - kRestInside - s.width);
      break;
    case 2:
      m.from.y = -s.height, m.to.y = std::min(centred.y, kRestInside);
      break;
    default:
      m.from.y = kFrame.height, m.to.y = std::max(centred.y, kFrame.height - kRestInside - s.height);
      break;
  }
  const double dist = std::hypot(m.to.x - m.from.x, m.to.y - m.from.y);
  m.settle = std::max(1, static_cast<int>(std::ceil(dist / speed)));
  return m;
}

// Where clip c's photo is on frame f: the top-left and the zoom.
struct Placement {
  cv::Point2d tl;
  double z;
};

Placement place(const Motion& m, cv::Size img, int f) {
  const double a = std::min(1.0, static_cast<double>(f) / m.settle);
  const double z = m.z0 + (m.z1 - m.z0) * f / (kClipFrames - 1);
  const cv::Point2d at = m.from + (m.to - m.from) * a;
  // Zooming about the photo's centre at its resting place.
  const cv::Point2d centre = at + cv::Point2d(img.width * m.z0 / 2, img.height * m.z0 / 2);
  return {centre - cv::Point2d(img.width * z / 2, img.height * z / 2), z};
}

struct Clip {
  const Photo* photo;
  cv::Mat img, bg;
  Motion motion;
};

void make(const std::string& manifest, const std::string& backgrounds, int clips, unsigned seed,
          const std::string& truth_path) {
  auto photos = read_photos(manifest);
  auto bgs = read_lines(backgrounds);
  if (photos.empty() || bgs.empty()) throw std::runtime_error("no photos or no backgrounds");
  std::mt19937 rng(seed);
  std::shuffle(photos.begin(), photos.end(), rng);
  const double speeds[] = {8, 16, 32};  // px a frame: 240, 480, 960 px/s
  const double zooms[] = {0.8, 1.3, 2.0};
  const auto clip = [&](int c) {
    Clip k{&photos[static_cast<std::size_t>(c) % photos.size()], {}, {}, {}};
    k.img = cv::imread(k.photo->path, cv::IMREAD_COLOR);
    k.bg = cv::imread(bgs[static_cast<std::size_t>(c) % bgs.size()], cv::IMREAD_COLOR);
    if (k.img.empty() || k.bg.empty()) throw std::runtime_error("cannot read " + k.photo->path);
    cv::resize(k.bg, k.bg, kFrame, 0, 0, cv::INTER_LINEAR);
    // The whole photo fits in the frame once in (so its faces all come into view).
    const double fit = 0.9 * std::min(static_cast<double>(kFrame.width) / k.img.cols,
                                      static_cast<double>(kFrame.height) / k.img.rows);
    const bool zooming = c % 5 == 4;
    const double zoom = std::min(zooms[(c / 12) % 3], zooming ? fit / 1.6 : fit);
    k.motion = plan(k.img.size(), c % 4, speeds[(c / 4) % 3], zoom, zooming);
    return k;
  };
  // The truth is written whole, and closed, before the first frame: `measure` reads it once the
  // first frame has come through the tool.
  {
    std::ofstream truth(truth_path);
    int track = 0;
    for (int c = 0; c < clips; ++c) {
      const Clip k = clip(c);
      for (int f = 0; f < kClipFrames; ++f) {
        const Placement at = place(k.motion, k.img.size(), f);
        for (std::size_t i = 0; i < k.photo->faces.size(); ++i) {
          const cv::Rect2f& b = k.photo->faces[i];
          const cv::Rect2d box(at.tl.x + b.x * at.z, at.tl.y + b.y * at.z, b.width * at.z, b.height * at.z);
          const cv::Rect2d seen = box & cv::Rect2d(0, 0, kFrame.width, kFrame.height);
          if (seen.area() < kVisible * box.area()) continue;
          truth << c * kClipFrames + f << ' ' << track + static_cast<int>(i) << ' ' << box.x << ' ' << box.y
                << ' ' << box.width << ' ' << box.height << '\n';
        }
      }
      track += static_cast<int>(k.photo->faces.size());
    }
    if (!truth.flush()) throw std::runtime_error("cannot write " + truth_path);
  }
  cv::Mat frame(kFrame, CV_8UC3);
  for (int c = 0; c < clips; ++c) {
    const Clip k = clip(c);
    for (int f = 0; f < kClipFrames; ++f) {
      const Placement at = place(k.motion, k.img.size(), f);
      cv::Mat warp = (cv::Mat_<double>(2, 3) << at.z, 0, at.tl.x, 0, at.z, at.tl.y);
      k.bg.copyTo(frame);
      cv::warpAffine(k.img, frame, warp, kFrame, cv::INTER_LINEAR, cv::BORDER_TRANSPARENT);
      std::fwrite(frame.data, 1, frame.total() * 3, stdout);
    }
  }
}

struct Row {
  int face_frames = 0, uncovered = 0;
};

std::map<int, std::vector<std::pair<int, cv::Rect2d>>> read_truth(const std::string& path) {
  std::map<int, std::vector<std::pair<int, cv::Rect2d>>> by_frame;
  std::ifstream in(path);
  int f, t;
  double x, y, w, h;
  while (in >> f >> t >> x >> y >> w >> h) by_frame[f].push_back({t, {x, y, w, h}});
  return by_frame;
}

// Whether the largest filled region over `r` is the face's own (kOwnArea).
bool own_cover(const cv::Mat& labels, const cv::Mat& stats, const cv::Rect& r, double box_area) {
  std::map<int, int> count;
  for (int y = r.y; y < r.y + r.height; ++y)
    for (int x = r.x; x < r.x + r.width; ++x)
      if (const int l = labels.at<int>(y, x)) ++count[l];
  if (count.empty()) return false;
  const int l = std::max_element(count.begin(), count.end(), [](auto& a, auto& b) {
                  return a.second < b.second;
                })->first;
  const double area =
      static_cast<double>(stats.at<int>(l, cv::CC_STAT_WIDTH)) * stats.at<int>(l, cv::CC_STAT_HEIGHT);
  return area <= kOwnArea * box_area;
}

// Pass 1, while the tool runs: per face and frame "F frame track bucket covered own" from the
// key green in its output, per frame "B frame filled_background background".
void measure(const std::string& truth_path) {
  std::map<int, std::vector<std::pair<int, cv::Rect2d>>> by_frame;
  std::vector<unsigned char> rgb(static_cast<std::size_t>(kFrame.area()) * 3);
  for (int f = 0; std::fread(rgb.data(), 1, rgb.size(), stdin) == rgb.size(); ++f) {
    if (f == 0) by_frame = read_truth(truth_path);  // complete once a frame has been made (make)
    cv::Mat img(kFrame, CV_8UC3, rgb.data());
    cv::Mat key;
    cv::inRange(img, cv::Scalar(0, 201, 0), cv::Scalar(59, 255, 59), key);
    cv::Mat faces = cv::Mat::zeros(kFrame, CV_8U);
    cv::Mat labels, stats, centroids;
    if (!by_frame[f].empty()) cv::connectedComponentsWithStats(key, labels, stats, centroids, 8, CV_32S);
    for (const auto& [track, box] : by_frame[f]) {
      const cv::Rect r = cv::Rect(box) & cv::Rect(0, 0, kFrame.width, kFrame.height);
      faces(r).setTo(255);
      const bool covered = cv::countNonZero(key(r)) >= kCovered * r.area();
      const bool own = covered && own_cover(labels, stats, r, box.area());
      std::printf("F %d %d %d %d %d\n", f, track, surg::eval::size_bucket(box.width, box.height),
                  covered ? 1 : 0, own ? 1 : 0);
    }
    cv::Mat outside;
    cv::bitwise_not(faces, outside);
    std::printf("B %d %d %d\n", f, cv::countNonZero(key & outside), cv::countNonZero(outside));
  }
}

// Pass 2: the measures with the slate frames of --events (a slate frame shows no face).
void report(const std::string& measures, const std::string& events_path) {
  std::vector<bool> slate;
  {
    std::ifstream in(events_path);
    for (std::string l; std::getline(in, l);) {
      const auto j = nlohmann::json::parse(l, nullptr, false);
      if (j.is_discarded() || j.value("type", "") != "frame") continue;
      slate.push_back(!j["data"]["slate"].is_null());
    }
  }
  const auto is_slate = [&](int f) {
    return f >= 0 && static_cast<std::size_t>(f) < slate.size() && slate[f];
  };
  Row rows[4];
  enum Seen { uncovered, covered, own };  // per face and frame; own: by a box of its own (kOwnArea)
  std::map<int, std::vector<Seen>> tracks;
  double filled_bg = 0, bg = 0;
  int frames = 0, listed = 0;
  std::ifstream in(measures);
  for (std::string kind; in >> kind;) {
    if (kind == "F") {
      int f, t, b, c, o;
      in >> f >> t >> b >> c >> o;
      const bool covered = c || is_slate(f);
      ++rows[b].face_frames;
      rows[b].uncovered += !covered;
      // Where a failure is, in CI's log too (the first few, faces of 16 px and more).
      if (!covered && b > 0 && ++listed <= 12)
        std::printf("# uncovered: frame %d (clip %d, frame %d in it), face %d, size %s\n", f, f / kClipFrames,
                    f % kClipFrames, t, surg::eval::kSizeBuckets[b]);
      tracks[t].push_back(o ? own : covered ? Seen::covered : uncovered);
    } else {
      int f, fb, all;
      in >> f >> fb >> all;
      ++frames;
      if (!is_slate(f)) filled_bg += fb, bg += all;
    }
  }
  // A break: an uncovered frame of a face between two frames where a box of its own covered it.
  int breaks = 0;
  for (auto& [t, seq] : tracks) {
    const auto first = std::find(seq.begin(), seq.end(), own);
    const auto last = std::find(seq.rbegin(), seq.rend(), own).base();
    if (first != seq.end()) breaks += static_cast<int>(std::count(first, last, uncovered));
  }
  const int slates = static_cast<int>(std::count(slate.begin(), slate.end(), true));
  const auto share = [&](int b) {
    return rows[b].face_frames ? static_cast<double>(rows[b].uncovered) / rows[b].face_frames : 0.0;
  };
  std::printf("# %-7s %12s %10s %8s\n", "size", "face-frames", "uncovered", "share");
  for (int b = 0; b < 4; ++b)
    std::printf("# %-7s %12d %10d %8.4f\n", surg::eval::kSizeBuckets[b], rows[b].face_frames,
                rows[b].uncovered, share(b));
  std::printf("# frames %d, slate %d, tracks %zu, breaks inside a track %d, background covered %.4f\n",
              frames, slates, tracks.size(), breaks, bg > 0 ? filled_bg / bg : 0.0);
  std::printf("frames=%d slates=%d faces16=%d faces32=%d uncovered32=%d share16=%.5f breaks=%d over=%.4f\n",
              frames, slates, rows[1].face_frames, rows[2].face_frames + rows[3].face_frames,
              rows[2].uncovered + rows[3].uncovered, share(1), breaks, bg > 0 ? filled_bg / bg : 0.0);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "make" && argc == 7) {
      make(argv[2], argv[3], std::stoi(argv[4]), static_cast<unsigned>(std::stoul(argv[5])), argv[6]);
      return 0;
    }
    if (mode == "measure" && argc == 3) {
      measure(argv[2]);
      return 0;
    }
    if (mode == "report" && argc == 4) {
      report(argv[2], argv[3]);
      return 0;
    }
    std::cerr << "usage: face_entry make MANIFEST BACKGROUNDS CLIPS SEED TRUTH | measure TRUTH | report "
                 "MEASURES EVENTS\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "face_entry: " << e.what() << "\n";
    return 1;
  }
}
