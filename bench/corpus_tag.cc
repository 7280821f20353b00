// Corpus tagging throughput: the read limit (decompress + split lines) against `corpus tag` with the built-in
// rules, on the same shards, single-threaded and with all threads; prints MB/s (of uncompressed JSONL) and
// peak resident memory. Used by scripts/bench_corpus.sh, which adds the Python baseline.
//
// Usage: bench_corpus_tag [--threads N] [--out DIR] SHARD...
#include <fmt/format.h>
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.h"
#include "core/error.h"
#include "corpus/data_taxonomy.h"
#include "corpus/tag_run.h"
#include "io/line_reader.h"

namespace fs = std::filesystem;
using namespace caploop;
using bench::cpu_seconds;
using bench::peak_rss_mb;
using bench::seconds_since;

int main(int argc, char** argv) {
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  fs::path out = fs::temp_directory_path() / "caploop-bench-corpus-tag";
  std::vector<fs::path> shards;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--threads" && i + 1 < argc)
      threads = std::stoi(argv[++i]);
    else if (a == "--out" && i + 1 < argc)
      out = argv[++i];
    else
      shards.emplace_back(a);
  }
  if (shards.empty()) {
    fmt::print(stderr, "usage: bench_corpus_tag [--threads N] [--out DIR] SHARD...\n");
    return 2;
  }
  try {
    // Read limit: decompress and split lines, nothing else.
    const bench::ReadLimit limit = bench::measure_and_describe_input(shards);
    const double read_s = limit.wall_seconds, read_cpu = limit.cpu_seconds, mb = limit.megabytes();
    // MB/s per CPU second is what one core achieves even when the machine is shared; wall MB/s is end to end.
    fmt::print("{:<42} {:>8} {:>10} {:>8} {:>16}\n", "measure", "wall s", "MB/s", "CPU s", "MB per CPU s");
    fmt::print("{:<42} {:>8.2f} {:>10.1f} {:>8.2f} {:>16.1f}\n", "read limit (decompress + lines), 1 thread", read_s,
               mb / read_s, read_cpu, mb / read_cpu);
    auto taxonomy = std::make_shared<const corpus::DataTaxonomy>(corpus::builtin_data_taxonomy());
    std::vector<int> runs = {1};
    if (threads > 1) runs.push_back(threads);
    for (int n : runs) {
      fs::remove_all(out);
      corpus::TagRunOptions o;
      o.taxonomy = taxonomy;
      o.out_dir = out;
      o.inputs = shards;
      o.threads = n;
      auto t1 = std::chrono::steady_clock::now();
      double c1 = cpu_seconds();
      corpus::TagRunReport report = corpus::run_corpus_tag(o);
      double s = seconds_since(t1), cpu = cpu_seconds() - c1;
      fmt::print("{:<42} {:>8.2f} {:>10.1f} {:>8.2f} {:>16.1f}\n", fmt::format("caploop corpus tag, {} thread(s)", n),
                 s, mb / s, cpu, mb / cpu);
      if (report.stats.total.docs + report.skipped_line_count != limit.lines) {
        fmt::print(stderr, "document count mismatch\n");
        return 1;
      }
    }
    fs::remove_all(out);
    fmt::print("peak resident memory: {} MB\n", peak_rss_mb());
  } catch (const Error& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return e.exit_code();
  }
  return 0;
}
