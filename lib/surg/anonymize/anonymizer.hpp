#pragma once
// One video frame in, one out: what the tool does to each frame, in this order.
//  1. privacy slate on request (control FIFO, SIGUSR1) -> slate;
//  2. live and already more than --max-lag behind -> slate (cheap, so the tool catches up);
//  3. outside of the circle and zones filled (before analysis: the analysers then see what
//     will leave, not a patient's name or a tower's OSD in the corners);
//  4. analysis (faces, out-of-body) on the worker, waited for until the frame's deadline:
//     no analyser (missing model) / failed / late -> slate; until the face detector's tile
//     schedule has looked at the whole frame once (its first cycle) -> slate ("warm-up"):
//     a face it has not looked for yet is not a face it has found;
//  5. out of body (or not yet proven in-body) -> slate;
//  6. faces covered (held and tracked boxes).
// Steps 1-3 and the analysis copy run when the frame arrives (admit), the analysis on the worker
// (analyse), its outcome and step 5 when it is in (settle), step 6 when the frame leaves
// (release). With a look-ahead (lookahead.hpp) the main thread admits and releases other frames
// while the worker analyses one, and frames wait until the detector has searched every region
// of them; the boxes it finds meanwhile are applied back (tracker.hpp).
// The frame is changed in place; it is made writable only when something changes it.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "surg/anonymize/analyzers.hpp"
#include "surg/anonymize/oob_state.hpp"
#include "surg/anonymize/options.hpp"
#include "surg/anonymize/planes.hpp"
#include "surg/anonymize/slate.hpp"
#include "surg/anonymize/tracker.hpp"
#include "surg/anonymize/worker.hpp"
#include "surg/anonymize/zones.hpp"

struct AVFrame;

namespace surg::anonymize {

enum class SlateReason { none, privacy, behind, unavailable, failed, late, warmup, out_of_body };
const char* reason_name(SlateReason reason);

struct FrameResult {
  SlateReason slate = SlateReason::none;
  std::vector<Covered> faces;
  int detections = 0;               // boxes the detector returned for this frame
  std::optional<bool> out_of_body;  // with --oob: the state after this frame
  std::optional<Circle> circle;     // with --mask-outside-circle
  int zones = 0;
  float confidence = 1.0f;  // lowest face score; 0 when a face is only held
  std::string error;        // failed: what the detector said
  // Which part of the detector's tile cycle searched this frame: -1 none (not analysed, out
  // of body), else the sequence number of the part (consecutive over searched frames).
  std::int64_t search_seq = -1;
  bool searched_whole = false;  // every tile ran on this frame (offline first frame)

  // Between admit() and settle(): the analysis copy (after analyse(), kept only when the worker
  // took it) and how long its outcome is waited for.
  cv::Mat image;
  std::chrono::steady_clock::time_point deadline;
};

class Anonymizer {
 public:
  using Clock = std::chrono::steady_clock;

  // `size` is the frame geometry, `frame_rate` frames a second. When the analysers cannot be
  // built the error is kept and every frame goes out as the slate (fail closed), see unavailable().
  // `detector`: a face detector to use instead of the one the options name (tests).
  Anonymizer(const Plan& plan, cv::Size size, double frame_rate,
             std::unique_ptr<detect::Detector> detector = nullptr);
  ~Anonymizer();

  // admit, analyse, settle and release at once (no look-ahead).
  FrameResult process(AVFrame& frame, std::int64_t index, Micros t, Clock::time_point deadline, bool behind);
  // On arrival (main thread, while the worker may still analyse the frame before): slate
  // decisions, fixed fills and the analysis copy.
  FrameResult admit(AVFrame& frame, std::int64_t index, Clock::time_point deadline, bool behind);
  // Hands the admitted frame's copy to the worker. The frame before must be settled.
  void analyse(FrameResult& result, std::int64_t index);
  // Waits for the analysis (until the frame's deadline) and completes the result: the tracker
  // learns its boxes, the out-of-body state its verdict. Every frame is settled, in order.
  void settle(FrameResult& result, Micros t);
  // On leaving: the slate, or the faces known now (including those found after t) covered.
  void release(AVFrame& frame, Micros t, FrameResult& result);
  // Frames wait `frames` (`time`) for later detections; 0 = none, the first cycle is then a
  // warm-up slate in live mode, as without look-ahead.
  void set_lookahead(int frames, Micros time);
  // End of input: every tile run on the last analysed image, its boxes applied back over the
  // look-ahead; false when the detector could not (late, failed).
  bool search_last(Clock::time_point deadline, Micros t);

  void set_privacy(bool on) { privacy_ = on; }
  bool privacy() const { return privacy_; }
  // Why the analysers could not be built, empty when they were.
  const std::string& unavailable() const { return unavailable_; }
  std::string face_detector() const;
  std::string model_hash() const { return analyzers_ ? analyzers_->model_hash() : "unavailable"; }
  int detector_cycle() const;  // frames per full pass of the face detector, 0 without one
  // What surg.chain records: faces, oob, zones, circle, text, the method.
  std::vector<std::string> chain_settings() const;

 private:
  bool needs_analysis() const { return plan_.faces || plan_.oob; }
  SlateReason take_outcome(FrameResult& result, Micros t);
  void fill_fixed(AVFrame& frame, std::int64_t index, FrameResult& result);
  void cover_faces(AVFrame& frame, Micros t, FrameResult& result);
  void scale_to_frame(std::vector<detect::Box>& boxes) const;  // analysis -> frame pixels

  Plan plan_;
  cv::Size size_;
  Micros cycle_time_{0};  // how long the detector's tile schedule takes to see the whole frame
  cv::Mat last_image_;    // the last analysed image (search_last)
  int warmup_left_ = 0;   // analysed frames still needed to complete the first cycle
  Yuv fill_;
  std::vector<Zone> zones_;
  Slate slate_;
  FaceTracker tracker_;
  OobState oob_;
  CircleFinder circle_;
  std::shared_ptr<Analyzers> analyzers_;  // shared with the worker thread
  std::unique_ptr<AnalysisImage> image_;
  std::unique_ptr<AnalysisWorker> worker_;
  std::string unavailable_;
  bool privacy_ = false;
};

}  // namespace surg::anonymize
