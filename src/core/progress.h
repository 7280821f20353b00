// Progress: a one-line progress indicator on stderr for long jobs (ingest, score, corpus tag, sample).
//
// Contract: prints only when enabled and stderr is a terminal, at most ~5 times a second, and clears its
// line on finish(). advance() is cheap (an atomic add and a clock check every few thousand calls) and safe to
// call from several threads. Never writes to stdout, so `--json` output stays clean.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace caploop {

class Progress {
 public:
  Progress(std::string label, uint64_t total, bool enabled);
  ~Progress();
  void advance(uint64_t amount);
  void set_label(std::string label);
  void finish();

 private:
  void render(bool final);
  std::string label_;
  uint64_t total_;
  bool enabled_;
  std::atomic<uint64_t> done_{0};
  std::atomic<uint64_t> calls_{0};
  std::chrono::steady_clock::time_point start_, last_;
  std::mutex mu_;
  bool finished_ = false;
};

}  // namespace caploop
