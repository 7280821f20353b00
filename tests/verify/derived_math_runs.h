// Runs derived from real model outputs, for verification tests: the Qwen2.5-Math MATH outputs
// (../shared/data/model_outputs/qwen25math_math_cot_100, 100 problems x 8 sampled solutions, with the source's
// own per-sample correctness flags) rewritten to simulate a model before and after training on a sample.
//
// A rewrite replaces the last \boxed{...} answer of a solution with the gold answer (the sample becomes right)
// or with a wrong number (the sample becomes wrong); kept samples keep their text and their provided flag.
// Expected per-item accuracies are computed from the provided flags and the rewrites alone, independently of
// caploop's scoring. Items are ingested with `--id /idx`, so their keys are "math:<idx>".
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace caploop::testing {

struct MathRecord {
  int64_t idx = 0;
  std::string question;
  std::string gt;
  std::vector<std::string> responses;
  std::vector<bool> provided;  // the source's per-sample correctness flags
};

enum class Rewrite { kKeep, kGold, kWrong };

using Derivation = std::function<Rewrite(const MathRecord& record, size_t sample)>;

std::filesystem::path qwen_math_file();
std::vector<MathRecord> read_math_records(const std::filesystem::path& file);

// `response` with its last \boxed{...} (braces balanced) replaced by \boxed{answer}; appended when absent.
std::string with_boxed_answer(const std::string& response, const std::string& answer);

// Writes the records as JSONL {"idx", "question", "gt", "code": [...]} with every sample rewritten by
// `derive`; `samples` limits the samples written per record (0 = all).
void write_derived_run(const std::vector<MathRecord>& records, const Derivation& derive,
                       const std::filesystem::path& out, size_t samples = 0);

// Expected accuracy of one record under `derive` (mean over the first `samples` samples, 0 = all).
double expected_accuracy(const MathRecord& record, const Derivation& derive, size_t samples = 0);

// Arguments of `caploop ingest` for a derived file (generic format; one sample per item when
// single_sample, reading "/code/0").
std::vector<std::string> ingest_math_args(const std::string& db, const std::string& run,
                                          const std::filesystem::path& file, bool single_sample = false);

}  // namespace caploop::testing
