#include "surg/annotate/run.hpp"

#include "surg/core/error.hpp"

namespace surg::annotate {

media::StreamInfo output_info(const media::StreamInfo& in, const Plan& plan, bool control) {
  media::StreamInfo out = in;
  out.marks = in.marks || control;
  const auto chain = in.tags.find(media::kTagChain);
  out.tags[media::kTagChain] =
      media::append_chain(chain == in.tags.end() ? "" : chain->second, "annotate", plan.chain_settings());
  return out;
}

void pump(media::Reader& reader, media::Writer& writer, Annotator& annotator, const Poll& poll,
          PassedThrough& passed) {
  while (auto unit = reader.next()) {
    if (unit->kind == media::Kind::audio) {
      writer.write_audio(*unit->packet);  // untouched: same bytes, same timestamps
      ++passed.audio_packets;
    } else if (unit->kind == media::Kind::mark) {
      writer.write_mark(*unit);
      ++passed.upstream_marks;
    } else {
      const std::int64_t pts = unit->frame->pts;
      Annotated out = annotator.process(std::move(unit->frame), poll());
      for (const auto& label : out.marks) writer.write_mark(pts, label);
      writer.write_video(*out.frame);
    }
  }
  writer.finish();
}

nlohmann::json run_stats(const Annotator& annotator, const PassedThrough& passed, const media::Reader& reader,
                         const media::Writer& writer) {
  nlohmann::json counts = annotator.stats();
  counts.update({{"audio_packets", passed.audio_packets},
                 {"upstream_marks", passed.upstream_marks},
                 {"bytes_in", reader.bytes_read()},
                 {"bytes_out", writer.bytes_written()}});
  return counts;
}

int run(const Options& options, cli::Context& ctx) {
  const Plan plan = make_plan(options);  // exit 2/4 before any media is read
  media::Reader reader(ctx.common.input);
  if (!reader.info().video) throw InputError(ctx.common.input + ": the surg stream has no video");
  const bool control = ctx.control != nullptr;
  // Fonts, logo and slate are loaded before the output opens: a bad file writes no media.
  Annotator annotator(plan, *reader.info().video, ctx.events, control);
  media::Writer writer(ctx.common.output, output_info(reader.info(), plan, control));
  const Poll poll = [&] { return control ? ctx.control->poll() : std::vector<nlohmann::json>{}; };
  PassedThrough passed;
  const auto stats = ctx.stats_from([&] { return run_stats(annotator, passed, reader, writer); });
  pump(reader, writer, annotator, poll, passed);
  return 0;
}

}  // namespace surg::annotate
