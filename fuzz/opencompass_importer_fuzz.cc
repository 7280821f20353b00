// Fuzzes import_opencompass twice per input: once with the input as predictions/<model>/<dataset>.json
// (the dataset chosen by the input's size), and once as part 1 of a split dataset <dataset>_1.json beside a
// fixed valid part <dataset>_0.json (key continuation across parts). Real prediction files make good seeds.
// Bad input must end in caploop::Error; anything else (a crash, a sanitizer report, another exception, a
// broken IngestSink contract) is a finding.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "fuzz_scratch.h"
#include "io/opencompass_importer.h"

namespace {

using namespace caploop;
using namespace caploop::fuzzing;

constexpr const char* kDatasets[] = {
    "gsm8k", "math", "bbh-date_understanding", "mmlu-abstract_algebra", "aime2024", "lukaemon_mmlu_anatomy", "custom"};

constexpr std::string_view kPart0 =
    R"({"0": {"origin_prompt": "Q: 1+1?", "prediction": "2", "gold": "2"},
"1": {"origin_prompt": [{"role": "HUMAN", "prompt": "Q: 2+2?"}], "prediction": ["4", "5"], "reference": 4}}
)";

void import_dir(const fs::path& dir) {
  CheckingSink sink;
  try {
    import_opencompass({dir}, RunInfo{}, sink, nullptr);
  } catch (const Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string dataset = kDatasets[size % std::size(kDatasets)];

  fs::path predictions = fresh_dir("opencompass_single") / "predictions";
  write_file(predictions / "model-a" / (dataset + ".json"), data, size);
  import_dir(predictions);

  fs::path model = fresh_dir("opencompass_split") / "predictions" / "model-b";
  write_file(model / (dataset + "_0.json"), kPart0);
  write_file(model / (dataset + "_1.json"), data, size);
  import_dir(model);
  return 0;
}
