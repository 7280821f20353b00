// What every benchmark program measures the same way: wall time, CPU time of the whole process, peak resident
// memory, and the read limit (decompressing and splitting the lines of shards, nothing else) that throughput
// figures are set beside. Header-only; each bench/*.cc is its own program.
#pragma once

#include <fmt/format.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

#include "io/line_reader.h"

namespace caploop::bench {

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// CPU seconds (user + system) used by all threads of this process so far.
inline double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

inline long peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

struct ReadLimit {
  double wall_seconds = 0.0;
  double cpu_seconds = 0.0;
  uint64_t bytes = 0;  // uncompressed, newlines included
  uint64_t lines = 0;
  uint64_t compressed = 0;  // bytes of the files as stored

  double megabytes() const { return static_cast<double>(bytes) / 1e6; }
};

// Reads every line of the shards in one thread and does nothing with them.
inline ReadLimit measure_read_limit(const std::vector<std::filesystem::path>& shards) {
  ReadLimit r;
  const auto t0 = std::chrono::steady_clock::now();
  const double c0 = cpu_seconds();
  for (const auto& s : shards) {
    LineReader reader(s);
    std::string_view line;
    while (reader.next(line)) {
      r.bytes += line.size() + 1;
      ++r.lines;
    }
    r.compressed += reader.file_size();
  }
  r.wall_seconds = seconds_since(t0);
  r.cpu_seconds = cpu_seconds() - c0;
  return r;
}

// Measures the read limit and prints the input line every benchmark starts with.
inline ReadLimit measure_and_describe_input(const std::vector<std::filesystem::path>& shards) {
  const ReadLimit r = measure_read_limit(shards);
  fmt::print("input: {} shards, {:.1f} MB JSONL ({:.1f} MB compressed), {} documents\n", shards.size(), r.megabytes(),
             static_cast<double>(r.compressed) / 1e6, r.lines);
  return r;
}

}  // namespace caploop::bench
