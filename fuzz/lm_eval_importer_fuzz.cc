// Fuzzes import_lm_eval twice per input: once with the input as a samples file (named after a task chosen by
// the input's size, with or without lm-eval's date suffix) beside a fixed valid results file, and once with
// the input as the results file beside a fixed valid samples file. Real samples and results files make good
// seeds. Bad input must end in caploop::Error; anything else (a crash, a sanitizer report, another exception,
// a broken IngestSink contract) is a finding.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "fuzz_scratch.h"
#include "io/lm_eval_importer.h"

namespace {

using namespace caploop;
using namespace caploop::fuzzing;

constexpr const char* kTasks[] = {"gsm8k_cot",
                                  "bbh_cot_fewshot_date_understanding",
                                  "minerva_math_algebra",
                                  "mmlu_abstract_algebra",
                                  "gsm8k_cot_self_consistency",
                                  "hellaswag"};
constexpr std::string_view kDate = "2024-06-01T10-00-00.123456";

constexpr std::string_view kResults = R"({"model_name": "m", "config": {"model_args": "pretrained=m,revision=step1"},
"configs": {"gsm8k_cot": {"generation_kwargs": {"until": ["Q:"], "do_sample": false, "temperature": 0.0,
"max_gen_toks": 256}, "repeats": 1}, "hellaswag": {"repeats": 1}}}
)";

constexpr std::string_view kSamples =
    R"({"doc_id": 0, "doc": {"question": "1+1?"}, "target": "2", "arguments": {"gen_args_0": {"arg_0": "Q: 1+1?\nA:", "arg_1": {"until": ["Q:"]}}}, "resps": [["The answer is 2."]], "filtered_resps": ["2"], "filter": "strict-match", "doc_hash": "abc"}
)";

void import_dir(const fs::path& dir) {
  CheckingSink sink;
  try {
    import_lm_eval({dir}, RunInfo{}, sink, nullptr);
  } catch (const Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view task = kTasks[size % std::size(kTasks)];
  bool dated = (size / std::size(kTasks)) % 2 == 0;
  std::string samples_name = "samples_" + std::string(task) + (dated ? "_" + std::string(kDate) : "") + ".jsonl";
  std::string results_name = "results_" + std::string(kDate) + ".json";

  fs::path dir = fresh_dir("lm_eval_samples");
  write_file(dir / samples_name, data, size);
  write_file(dir / results_name, kResults);
  import_dir(dir);

  dir = fresh_dir("lm_eval_results");
  write_file(dir / ("samples_gsm8k_cot_" + std::string(kDate) + ".jsonl"), kSamples);
  write_file(dir / results_name, data, size);
  import_dir(dir);
  return 0;
}
