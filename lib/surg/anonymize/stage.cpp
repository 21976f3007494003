#include "surg/anonymize/stage.hpp"

#include <chrono>
#include <cstring>
#include <fstream>

#include <spdlog/spdlog.h>

#include "surg/anonymize/anonymizer.hpp"
#include "surg/anonymize/evidence.hpp"
#include "surg/anonymize/lag.hpp"
#include "surg/anonymize/lookahead.hpp"
#include "surg/core/error.hpp"
#include "surg/core/signals.hpp"
#include "surg/detect/pinned.hpp"

extern "C" {
#include <libavutil/pixdesc.h>
}

namespace surg::anonymize {
namespace {

using SteadyClock = std::chrono::steady_clock;
// Offline, a frame waits this long for the detector before it goes out as the slate: long
// enough for any real detector, short enough that a hung one cannot hang a batch job.
constexpr std::chrono::seconds kOfflineDeadline{30};

// Privacy on request: the control FIFO ({"cmd":"privacy","on":bool}) and SIGUSR1 (toggle).
class PrivacySwitch {
 public:
  bool poll(cli::Context& ctx, bool on) {
    if (ctx.control) {
      for (const auto& cmd : ctx.control->poll()) {
        if (cmd.value("cmd", "") != "privacy") continue;
        if (!cmd.contains("on") || !cmd["on"].is_boolean()) {
          spdlog::warn("control: privacy command without a boolean \"on\": {}", cmd.dump());
          continue;
        }
        on = cmd["on"].get<bool>();
      }
    }
    const unsigned toggles = privacy_toggle_count();
    if ((toggles - seen_) % 2 == 1) on = !on;
    seen_ = toggles;
    return on;
  }

 private:
  unsigned seen_ = privacy_toggle_count();
};

const media::VideoParams& checked_video(const media::StreamInfo& in) {
  if (!in.video) throw InputError("the input has no video stream");
  if (!is_supported_format(in.video->format))
    throw InputError(std::string("unsupported pixel format ") + av_get_pix_fmt_name(in.video->format) +
                     " (surg-anonymize redacts planar 8-bit YUV such as yuv420p)");
  return *in.video;
}

// The stream's frame rate, 30 when it does not say.
AVRational frame_rate(const media::VideoParams& v) {
  return v.frame_rate.num > 0 && v.frame_rate.den > 0 ? v.frame_rate : AVRational{30, 1};
}

media::StreamInfo output_info(const media::StreamInfo& in, const Anonymizer& a,
                              const std::string& consent_case) {
  media::StreamInfo out = in;
  if (!consent_case.empty()) out.tags[media::kTagCase] = consent_case;
  const auto chain = in.tags.find(media::kTagChain);
  out.tags[media::kTagChain] =
      media::append_chain(chain == in.tags.end() ? "" : chain->second, "anonymize", a.chain_settings());
  return out;
}

// Under --consent a face detector the consent gate does not know (a test detector, haar) or
// whose model is not the pinned one (a file swapped in the model directory) is refused before
// any frame leaves: faces would be "hidden" in name only (consent_floor.hpp).
const Anonymizer& pinned_detector(const Plan& o, const Anonymizer& a) {
  if (o.consent.empty() || !o.faces || !a.unavailable().empty()) return a;
  if (!detect::is_pinned(a.face_detector(), a.model_hash()))
    throw ConsentError("consent " + o.consent + " requires faces hidden: detector '" + a.face_detector() +
                       "' with model " + a.model_hash() +
                       " is not the one the consent gate accepts (detect/pinned.hpp, --list-detectors)");
  return a;
}

void mute(AVPacket& packet) {
  media::av_check(av_packet_make_writable(&packet), "av_packet_make_writable");
  std::memset(packet.data, 0, static_cast<std::size_t>(packet.size));
}

void write_report(const std::string& path, const nlohmann::json& report) {
  std::ofstream out(path, std::ios::trunc);
  out << report.dump(2) << "\n";
  if (!out) throw RuntimeError("--report " + path + ": cannot write");
}

}  // namespace

struct Stage::Impl {
  Impl(const Plan& p, cli::Context& c, const media::StreamInfo& in)
      : plan(p),
        ctx(c),
        video(checked_video(in)),
        rate(frame_rate(video)),
        interval(av_rescale(1000000, rate.den, rate.num)),
        anonymizer(plan, cv::Size(video.width, video.height), av_q2d(rate)),
        writer(c.common.output, output_info(in, pinned_detector(plan, anonymizer), plan.consent)),
        window(plan_lookahead(plan.max_lag, plan.faces ? anonymizer.detector_cycle() : 0, interval)),
        lag(window.analysis, interval),
        pending(window.frames, window.complete && plan.faces ? anonymizer.detector_cycle() : 0),
        evidence(c.events, {video.time_base.num, video.time_base.den}, !plan.review.empty()) {
    anonymizer.set_lookahead(window.frames, interval * window.frames);
    evidence.totals().lookahead_frames = window.frames;
    evidence.totals().lookahead = window.added;
    spdlog::info("{}x{} {}, faces {} (a full pass every {} frames), {} mode, look-ahead {} frames ({} ms)",
                 video.width, video.height, av_get_pix_fmt_name(video.format), anonymizer.face_detector(),
                 anonymizer.detector_cycle(), plan.live ? "live" : "offline", window.frames,
                 window.added.count() / 1000);
    if (plan.faces && !window.complete)
      spdlog::warn(
          "--max-lag {} ms leaves no room to search a frame whole before it leaves: a face coming "
          "into view may go out uncovered until the detector reaches it",
          plan.max_lag.count() / 1000);
  }

  Plan plan;
  cli::Context& ctx;
  media::VideoParams video;
  AVRational rate;
  Micros interval;
  Anonymizer anonymizer;
  media::Writer writer;
  LookAheadPlan window;  // the look-ahead --max-lag allows
  LagMeter lag;
  LookAhead pending;
  Evidence evidence;
  PrivacySwitch privacy;
  bool failures = false;
};

Stage::Stage(const Plan& plan, cli::Context& ctx, const media::StreamInfo& input)
    : impl_(std::make_unique<Impl>(plan, ctx, input)) {}

Stage::~Stage() = default;

void Stage::video(AVFrame& frame, Micros read_wait) {
  Impl& m = *impl_;
  auto& totals = m.evidence.totals();
  const std::int64_t index = totals.frames_in++;
  m.anonymizer.set_privacy(m.privacy.poll(m.ctx, m.anonymizer.privacy()));
  const Micros t =
      frame.pts == AV_NOPTS_VALUE ? m.interval * index : media::to_micros(frame.pts, m.video.time_base);
  const auto now = SteadyClock::now();
  bool behind = false;
  auto deadline = now + kOfflineDeadline;
  if (m.plan.live) {
    m.lag.arrived(t, now, read_wait);
    behind = m.lag.behind(now);
    deadline = m.lag.deadline();
  }
  if (m.window.frames == 0) {
    FrameResult r = m.anonymizer.process(frame, index, t, deadline, behind);
    release(frame, index, t, r);
    return;
  }
  // Admitted (fixed fills made) while the reader's is the only other reference, then kept as a
  // reference: by the time it leaves it is the only one, so covering it copies nothing.
  FrameResult r = m.anonymizer.admit(frame, index, deadline, behind);
  m.pending.push(m.anonymizer, {media::clone_frame(frame), index, t, std::move(r)});
  while (auto ready = m.pending.pop()) release(*ready);
}

void Stage::release(Pending& p) {
  impl_->anonymizer.release(*p.frame, p.t, p.result);
  release(*p.frame, p.index, p.t, p.result);
}

// The frame leaves (already covered or slated).
void Stage::release(AVFrame& frame, std::int64_t index, Micros t, const FrameResult& r) {
  Impl& m = *impl_;
  if (r.slate == SlateReason::failed || r.slate == SlateReason::unavailable) m.failures = true;
  m.writer.write_video(frame);
  auto& totals = m.evidence.totals();
  if (m.plan.live) totals.lag.add(m.lag.lag_at(t, SteadyClock::now()));
  m.evidence.frame(r, index, frame.pts, t, frame);
}

// End of input: the frames still waiting have windows cut short by the end; every tile is run
// on the last analysed image so that they leave searched, or as the slate when it cannot be.
void Stage::flush() {
  Impl& m = *impl_;
  if (m.pending.empty()) return;
  m.pending.settle_last(m.anonymizer);
  const bool searched = m.anonymizer.search_last(SteadyClock::now() + kOfflineDeadline, m.pending.last_t());
  while (auto ready = m.pending.pop(true, searched)) release(*ready);
}

void Stage::audio(AVPacket& packet) {
  Impl& m = *impl_;
  ++m.evidence.totals().audio_packets;
  if (m.plan.mute_on_privacy && m.anonymizer.privacy()) {
    mute(packet);
    ++m.evidence.totals().audio_muted;
  }
  m.writer.write_audio(packet);
}

void Stage::mark(const media::Unit& mark) {
  ++impl_->evidence.totals().marks;
  impl_->writer.write_mark(mark);
}

nlohmann::json Stage::stats() const { return impl_->evidence.totals().json(); }

int Stage::finish() {
  Impl& m = *impl_;
  flush();
  m.writer.finish();
  m.evidence.finish();
  if (!m.plan.review.empty()) m.evidence.review().write(m.plan.review);
  if (!m.plan.report.empty()) {
    nlohmann::json report = {{"tool", m.ctx.info.name}, {"version", SURG_VERSION},
                             {"totals", stats()},       {"detector", m.anonymizer.face_detector()},
                             {"live", m.plan.live},     {"chain", m.writer.info().tags.at(media::kTagChain)}};
    if (!m.anonymizer.unavailable().empty()) report["unavailable"] = m.anonymizer.unavailable();
    write_report(m.plan.report, report);
  }
  if (!m.failures) return 0;
  spdlog::error("some frames went out as the privacy slate because a detector was unavailable or failed");
  return static_cast<int>(ExitStatus::runtime);
}

}  // namespace surg::anonymize
