// Fuzzes import_generic: every input is imported under each of five mappings, the ones the tests and
// docs/formats-generic.md use for real files (vLLM-style response objects in JSON Lines, records nested in a
// .json document with record-level finish reasons and token counts, the BBH outputs' layout with the task
// taken from the file name, MATH samples as an array of strings, GSM8K example solutions behind a nested
// pointer), each with a file name of the layout it expects. Bad input must end in caploop::Error; anything
// else (a crash, a sanitizer report, another exception, a broken IngestSink contract) is a finding.
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "fuzz_scratch.h"
#include "io/generic_importer.h"

namespace {

using namespace caploop;
using namespace caploop::fuzzing;

struct Preset {
  std::string file_name;
  GenericMapping mapping;
};

std::vector<Preset> make_presets() {
  std::vector<Preset> presets;
  {
    GenericMapping m;
    m.benchmark = "gsm8k";
    m.id_pointer = "/id";
    m.input_pointer = "/prompt";
    m.responses_pointer = "/outputs";
    m.response_text_pointer = "/text";
    m.response_finish_reason_pointer = "/finish_reason";
    m.response_n_tokens_pointer = "/num_tokens";
    m.target_pointer = "/answer";
    m.metadata_pointers = {"/meta", "/absent"};
    presets.push_back({"vllm_style.jsonl", m});
  }
  {
    GenericMapping m;
    m.benchmark = "arith";
    m.records_pointer = "/data/records";
    m.input_pointer = "/q";
    m.response_pointer = "/out";
    m.target_pointer = "/gold";
    m.finish_reason_pointer = "/reason";
    m.n_tokens_pointer = "/toks";
    m.metadata_pointers = {"/level"};
    presets.push_back({"nested_records.json", m});
  }
  {
    GenericMapping m;
    m.benchmark = "bbh";
    m.records_pointer = "/outputs";
    m.input_pointer = "/input";
    m.response_pointer = "/prediction";
    m.target_pointer = "/target";
    m.task_file_regex = "^(.*)_few_shot_template";
    presets.push_back({"navigate_few_shot_template_0-255000.json", m});
  }
  {
    GenericMapping m;
    m.benchmark = "math";
    m.id_pointer = "/idx";
    m.input_pointer = "/question";
    m.responses_pointer = "/code";
    m.target_pointer = "/gt";
    m.metadata_pointers = {"/level"};
    presets.push_back({"math_cot_100.jsonl", m});
  }
  {
    GenericMapping m;
    m.benchmark = "gsm8k";
    m.input_pointer = "/question";
    m.response_pointer = "/6b_finetuning/solution";
    m.target_pointer = "/ground_truth";
    presets.push_back({"example_model_solutions.jsonl", m});
  }
  return presets;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<Preset> presets = make_presets();
  fs::path dir = fresh_dir("generic");
  for (const Preset& preset : presets) {
    fs::path file = dir / preset.file_name;
    write_file(file, data, size);
    CheckingSink sink;
    try {
      import_generic({file}, preset.mapping, RunInfo{}, sink, nullptr);
    } catch (const Error&) {
    }
    fs::remove(file);
  }
  return 0;
}
