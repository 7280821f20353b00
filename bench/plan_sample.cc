// Planning and sampling throughput: on a tagged corpus (the shards and the output folder of `corpus tag`), plans a
// sample of --fraction of the corpus's tokens for one weak slice (operation=counting.case_enumeration, mapped by
// the built-in rules to counting & probability worked solutions) with the real planner, then draws it; prints the
// read limit (decompress + split lines), the planning time, sampling throughput with 1 and N threads in MB/s of
// input JSONL (sampling reads every shard twice), the plan's and the sample's tokens, and peak resident memory.
// Used by scripts/bench_sample.sh.
//
// Usage: bench_plan_sample --tags DIR [--fraction 0.1] [--threads N] [--out DIR] SHARD...
#include <fmt/format.h>
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.h"
#include "cluster/process_group.h"
#include "core/error.h"
#include "corpus/data_taxonomy.h"
#include "io/line_reader.h"
#include "mapping/mapping_rules.h"
#include "mapping/weak_slice.h"
#include "mixture/corpus_shards.h"
#include "mixture/plan_builder.h"
#include "sampling/sample_run.h"

namespace fs = std::filesystem;
using namespace caploop;
using bench::cpu_seconds;
using bench::peak_rss_mb;
using bench::seconds_since;

// One weak slice as `caploop weaknesses` would report it: 200 counting items at 40% accuracy, 30 points below the rest.
static WeakSliceList counting_weakness() {
  WeakSliceList w;
  w.source.file = "<bench>";
  w.source.kind = "weaknesses";
  w.source.checksum = "0000000000000000";
  WeakSlice s;
  s.id = "S1";
  s.tags = {"operation=counting.case_enumeration"};
  s.n = 200;
  s.severity = 0.3;
  s.baseline_accuracy = 0.4;
  s.q_value = 0.001;
  for (int i = 0; i < 200; ++i) s.items.push_back(fmt::format("math:{}", i));
  w.slices.push_back(s);
  return w;
}

int main(int argc, char** argv) {
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  double fraction = 0.1;
  fs::path tags, out = fs::temp_directory_path() / "caploop-bench-plan-sample";
  std::vector<fs::path> shards;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--threads" && i + 1 < argc)
      threads = std::stoi(argv[++i]);
    else if (a == "--fraction" && i + 1 < argc)
      fraction = std::stod(argv[++i]);
    else if (a == "--tags" && i + 1 < argc)
      tags = argv[++i];
    else if (a == "--out" && i + 1 < argc)
      out = argv[++i];
    else
      shards.emplace_back(a);
  }
  if (shards.empty() || tags.empty()) {
    fmt::print(stderr, "usage: bench_plan_sample --tags DIR [--fraction 0.1] [--threads N] [--out DIR] SHARD...\n");
    return 2;
  }
  try {
    // Read limit: decompress and split lines, nothing else.
    const bench::ReadLimit limit = bench::measure_and_describe_input(shards);
    const double read_s = limit.wall_seconds, read_cpu = limit.cpu_seconds, mb = limit.megabytes();

    // Plan.
    auto t1 = std::chrono::steady_clock::now();
    const CorpusShards corpus = read_corpus_shards({tags.string()});
    const corpus::DataTaxonomy taxonomy = corpus::builtin_data_taxonomy();
    PlanOptions po;
    po.budget_tokens = static_cast<int64_t>(fraction * static_cast<double>(corpus.merged.total.tokens));
    const MixturePlan plan = build_plan(counting_weakness(), builtin_mapping_rules(), corpus, &taxonomy, po);
    const double plan_s = seconds_since(t1);
    fmt::print("plan: budget {} tokens ({:.0f}% of {}), {} streams, base {} + targets {}; {:.2f} s\n", po.budget_tokens,
               100 * fraction, corpus.merged.total.tokens, plan.streams.size(), plan.base_tokens, plan.target_tokens,
               plan_s);
    for (const PlanStream& s : plan.streams)
      if (s.kind == StreamKind::kTarget)
        fmt::print("  {}: available {}, quota {}, epochs {:.2f}\n", s.name, s.available_tokens, s.quota_tokens,
                   s.epochs);

    fmt::print("{:<46} {:>8} {:>10} {:>8} {:>16}\n", "measure", "wall s", "MB/s", "CPU s", "MB per CPU s");
    fmt::print("{:<46} {:>8.2f} {:>10.1f} {:>8.2f} {:>16.1f}\n", "read limit (decompress + lines), 1 thread", read_s,
               mb / read_s, read_cpu, mb / read_cpu);
    std::vector<int> runs = {1};
    if (threads > 1) runs.push_back(threads);
    for (int n : runs) {
      fs::remove_all(out);
      sampling::SampleRunOptions o;
      o.plan = plan;
      o.seed = 1;
      o.out_dir = out;
      o.inputs = shards;
      o.threads = n;
      auto t2 = std::chrono::steady_clock::now();
      double c2 = cpu_seconds();
      sampling::SampleRunReport r = sampling::run_sample(o, ProcessGroup::current());
      const double s = seconds_since(t2), cpu = cpu_seconds() - c2;
      fmt::print("{:<46} {:>8.2f} {:>10.1f} {:>8.2f} {:>16.1f}\n", fmt::format("caploop sample, {} thread(s)", n), s,
                 mb / s, cpu, mb / cpu);
      if (n == runs.back()) {
        for (const auto& sc : r.composition.streams)
          fmt::print("  {:<70} quota {:>10} drawn {:>10} ({:+.3f}%), {} draws\n", sc.name, sc.quota_tokens,
                     sc.drawn_tokens, 100 * sc.relative_error, sc.draws);
        double worst = 0;
        std::string worst_stream;
        for (const auto& sc : r.composition.streams)
          if (sc.quota_tokens >= 100000 && std::abs(sc.relative_error) >= worst) {
            worst = std::abs(sc.relative_error);
            worst_stream = sc.name;
          }
        uint64_t out_bytes = 0;
        for (auto& e : fs::recursive_directory_iterator(out))
          if (e.is_regular_file() && e.path().string().ends_with(".jsonl.zst")) out_bytes += e.file_size();
        fmt::print(
            "sample: {} tokens drawn of {} planned ({:+.3f}%), {} lines, {:.1f} MB zstd; largest stream "
            "error {:.3f}% ({}) among streams with quota >= 100k tokens\n",
            r.composition.drawn_tokens, r.composition.quota_tokens,
            100.0 * static_cast<double>(r.composition.drawn_tokens - r.composition.quota_tokens) /
                static_cast<double>(r.composition.quota_tokens),
            r.composition.output_lines, static_cast<double>(out_bytes) / 1e6, 100 * worst, worst_stream);
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
