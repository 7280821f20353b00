// ThreadCodecs: one TextCodec per decoding thread, for readers that hand stored response bodies to worker threads.
//
// Contract: load() reads a dictionary from the workspace into every codec; it runs on the thread that owns the
// WorkspaceDb while no decode() runs (dictionary 0, or one already loaded, is a no-op; a missing one throws
// kStore naming it). decode(body, dictionary, worker) may run on `threads` threads at once, each with its own
// worker index (< threads), and returns the text the stored zstd frame holds.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/text_codec.h"
#include "store/workspace_db.h"

namespace caploop {

class ThreadCodecs {
 public:
  ThreadCodecs(WorkspaceDb& ws, unsigned threads);
  ~ThreadCodecs();
  ThreadCodecs(const ThreadCodecs&) = delete;
  ThreadCodecs& operator=(const ThreadCodecs&) = delete;

  unsigned size() const { return static_cast<unsigned>(codecs_.size()); }
  void load(int64_t dictionary);
  std::string decode(std::string_view body, int64_t dictionary, unsigned worker);

 private:
  WorkspaceDb& ws_;
  std::vector<std::unique_ptr<TextCodec>> codecs_;
};

}  // namespace caploop
