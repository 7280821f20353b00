// Shared plumbing of the importer fuzz targets: a scratch directory of this process's own (removed at exit),
// writing the fuzz input to a named file in it, and an IngestSink that keeps nothing but checks the order of
// calls the importer contract promises (begin_run once, before any item; every item with responses numbered
// 0..n-1). A broken promise calls std::abort(), which libFuzzer reports as a crash.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "io/ingest_records.h"

namespace caploop::fuzzing {

namespace fs = std::filesystem;

inline void remove_scratch_dir();

inline const fs::path& scratch_dir() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("caploop-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  // Registered after `dir` is constructed, so it runs before `dir` is destroyed.
  static const bool registered = std::atexit(remove_scratch_dir) == 0;
  (void)registered;
  return dir;
}

inline void remove_scratch_dir() {
  std::error_code ec;
  fs::remove_all(scratch_dir(), ec);
}

// A fresh, empty folder `name` inside the scratch directory.
inline fs::path fresh_dir(std::string_view name) {
  fs::path dir = scratch_dir() / name;
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir);
  return dir;
}

inline void write_file(const fs::path& path, const void* data, size_t size) {
  fs::create_directories(path.parent_path());
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) std::abort();
  if (size > 0 && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
}

inline void write_file(const fs::path& path, std::string_view text) { write_file(path, text.data(), text.size()); }

class CheckingSink : public IngestSink {
 public:
  void begin_run(const RunInfo&) override {
    if (begun_) std::abort();
    begun_ = true;
  }
  void add_item(const ItemRecord& item, std::vector<ResponseRecord> responses) override {
    if (!begun_ || responses.empty() || item.origin.file.empty()) std::abort();
    for (size_t i = 0; i < responses.size(); ++i) {
      if (responses[i].sample_index != static_cast<int64_t>(i)) std::abort();
    }
    ++items_;
  }
  int64_t items() const { return items_; }

 private:
  bool begun_ = false;
  int64_t items_ = 0;
};

}  // namespace caploop::fuzzing
