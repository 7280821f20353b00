// Fuzzes LineReader and read_whole_file: the input is written to a temporary file named .gz, .zst or .txt
// after its magic bytes, so real compressed files (and truncated or damaged ones) make good seeds.
// Bad input must end in caploop::Error; anything else (a crash, a sanitizer report, another exception, or
// lines that disagree with the whole-file read) is a finding.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "io/line_reader.h"

namespace {

namespace fs = std::filesystem;

void remove_scratch_dir();

// A directory of this process's own, removed at exit.
const fs::path& scratch_dir() {
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

void remove_scratch_dir() {
  std::error_code ec;
  fs::remove_all(scratch_dir(), ec);
}

std::string_view extension_for(const uint8_t* data, size_t size) {
  if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) return ".gz";
  if (size >= 4 && data[0] == 0x28 && data[1] == 0xb5 && data[2] == 0x2f && data[3] == 0xfd) return ".zst";
  return ".txt";
}

// The lines of `text` by the contract: "\n" ends a line, one "\r" before it is dropped, a last line may
// lack "\n".
std::vector<std::string> reference_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    size_t stop = nl == std::string::npos ? text.size() : nl;
    std::string line = text.substr(start, stop - start);
    if (nl != std::string::npos && !line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = stop + 1;
  }
  return lines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fs::path file = scratch_dir() / ("input" + std::string(extension_for(data, size)));
  {
    std::FILE* f = std::fopen(file.c_str(), "wb");
    if (f == nullptr) std::abort();
    if (size > 0 && std::fwrite(data, 1, size, f) != size) std::abort();
    std::fclose(f);
  }
  // A small line limit on some inputs reaches the over-long-line path.
  size_t max_line = size % 5 == 0 ? 64 : caploop::LineReader::kDefaultMaxLineBytes;

  std::vector<std::string> lines;
  bool lines_ok = true;
  try {
    caploop::LineReader reader(file, max_line);
    std::string_view line;
    while (reader.next(line)) {
      if (line.size() > max_line) std::abort();
      lines.emplace_back(line);
      if (reader.line_number() != static_cast<int64_t>(lines.size())) std::abort();
    }
  } catch (const caploop::Error&) {
    lines_ok = false;
  }

  std::string whole;
  bool whole_ok = true;
  try {
    whole = caploop::read_whole_file(file, size_t{64} << 20);
  } catch (const caploop::Error&) {
    whole_ok = false;
  }

  if (lines_ok && !whole_ok) std::abort();  // every stream the reader accepts decompresses whole
  if (lines_ok && lines != reference_lines(whole)) std::abort();
  fs::remove(file);
  return 0;
}
