// A real tagged corpus for the sampling tests, built once per test program: MATH test solutions as {"id","text"}
// JSONL in four shards (two plain, two .zst) plus the data-juicer samples, tagged with the built-in data
// taxonomy by run_corpus_tag; a MixturePlan drawn up by hand from the per-shard statistics (base streams per
// source tag, a target stream for counting & probability that needs more than two epochs, and a two-tag target
// stream); and helpers that read what `sample` wrote. Ground truth for assertions is computed here from the
// documents and attribute rows directly (tokens = ceil(text bytes / 4)), independently of the sampler.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "mixture/mixture_plan.h"
#include "test_support.h"

namespace caploop::sampling::testing {

struct SamplingCorpus {
  std::filesystem::path root;       // scratch folder holding everything below
  std::filesystem::path inputs;     // root/in: in/math/part-{0..3}.jsonl[.zst], in/dj/*.jsonl
  std::filesystem::path tags;       // root/tags: the tag run's output folder
  std::filesystem::path plan_file;  // root/plan.json (plan_to_json(plan))
  MixturePlan plan;
  // Ground truth per document, keyed by (mirrored shard path, 1-based line).
  std::map<std::pair<std::string, int64_t>, int64_t> tokens;
  std::map<std::pair<std::string, int64_t>, std::string> lines;  // the document line as in the input
  std::map<std::pair<std::string, int64_t>, std::set<std::string>> attributes;
};

// Built on first use (needs ../shared/data; call REQUIRE_SHARED_DATA() first).
const SamplingCorpus& sampling_corpus();

// Streams of the hand-made plan.
inline const std::string kCountingStream = "target:math_subfield.counting_probability";
inline const std::string kWorkedProbabilityStream =
    "target:capability.worked_solution+math_operation.probability_computation";
inline const std::string kMathBaseStream = "base:source__math_problems";

// Every regular file under a folder: relative path -> bytes (decompressed for .zst so that failures show text).
std::map<std::string, std::string> tree(const std::filesystem::path& root);
std::vector<std::string> lines_of(const std::filesystem::path& file);

// One manifest row.
struct ManifestRow {
  std::string id_json;
  std::string shard;
  int64_t line = 0;
  std::string stream;
  int64_t epoch = 0;
};
std::vector<ManifestRow> read_manifest(const std::filesystem::path& file);

// Every output line of a sample folder with its manifest row, in file order over the plan's shards.
struct SampledLine {
  std::string text;
  ManifestRow row;
};
std::vector<SampledLine> sampled_lines(const SamplingCorpus& corpus, const std::filesystem::path& out_dir);

}  // namespace caploop::sampling::testing
