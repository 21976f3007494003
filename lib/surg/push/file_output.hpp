#pragma once
// A recording (file or HLS directory): opened before the first packet so an unwritable
// path fails at once, written synchronously, never dropping a packet.
#include "surg/push/output.hpp"

namespace surg::push {

class FileOutput : public Output {
 public:
  FileOutput(const Destination& dest, const OutputConfig& config);
  void write(const SharedPacket& packet) override;
  void finish(const ChapterList& chapters) override;
  // HLS is a publication: consent withdrawn removes its playlist, segments and player page
  // at once (viewers must stop getting it). A file is finished as a recording.
  void stop(const ChapterList& chapters) override;
  bool failed() const override { return failed_; }
  nlohmann::json stats() const override;

 private:
  void fail(const std::exception& e);
  void unpublish();
  Destination dest_;
  std::string shown_;
  Deadline deadline_;
  std::unique_ptr<Muxer> muxer_;
  bool failed_ = false;
  std::string state_ = "open";
  std::string error_;  // why it failed, for stats and events
  std::int64_t packets_ = 0;
  std::int64_t bytes_ = 0;
};

}  // namespace surg::push
