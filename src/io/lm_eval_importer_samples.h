// Reading one lm-evaluation-harness samples file: the records lm-eval writes per (document, filter) become
// one item per document, whose responses carry every filter's extracted value.
//
// Contract: read_lm_eval_samples() holds the items of one file in memory (lm-eval writes all documents
// for one filter before the next filter, so a document is complete only at the end of the file) and
// returns them in the order of their first record. Both `arguments` shapes (list of [context, x] lists,
// and {"gen_args_<i>": {"arg_0": context, "arg_1": x}}) and both file shapes (JSON Lines; one JSON array)
// are read. The per-record metrics lm-eval logged become the first response's harness_metrics
// ("<metric>,<filter>"); a multiple-choice (loglikelihood) document also gets the filter value "loglikelihoods"
// (core/loglikelihood_choices.h): every choice, without `target_delimiter`, with its log-likelihood. Bad input
// throws caploop::Error kInput naming file, line and field. Not thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/progress.h"
#include "io/ingest_records.h"
#include "io/json_parser.h"
#include "io/task_names.h"

namespace caploop {

struct LmEvalItem {
  ItemRecord item;
  std::vector<ResponseRecord> responses;
};

std::vector<LmEvalItem> read_lm_eval_samples(const std::filesystem::path& path, const BenchmarkTask& task,
                                             JsonParser& parser, Progress* progress,
                                             std::string_view target_delimiter = " ");

// The parts of a samples file name: "samples_gsm8k_cot_2024-05-10T12-34-56.123456.jsonl" has task
// "gsm8k_cot" and date "2024-05-10T12-34-56.123456"; "samples_gsm8k.json" has task "gsm8k" and no date.
struct LmEvalFileName {
  std::string task;
  std::string date;  // empty when the name carries none
};
LmEvalFileName parse_lm_eval_file_name(const std::filesystem::path& path);

}  // namespace caploop
