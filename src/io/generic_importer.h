// Generic importer: reads per-sample outputs from any JSON or JSON Lines file, given a mapping of JSON
// pointers (RFC 6901; "" is the record itself) from a record to the fields of an item and its responses.
// The mapping and the field rules are described in docs/formats-generic.md.
//
// Contract: each path is a file (.json, .jsonl or .ndjson, optionally .gz/.zst); a .jsonl file holds one
// record per line and is streamed (memory bounded by the longest line), a .json file is read whole and its
// records are the array at `records_pointer`. All files are one run (begin_run once, before any item);
// items are added in file order. An item's id is the value at `id_pointer`, or the 0-based record index
// within its file; an id seen twice for the same task is refused. The task is, by priority, the value at
// `task_pointer`, the first capture group of `task_file_regex` (PCRE2) matched against the file name, the
// fixed `task`, or the benchmark. validate_generic_mapping() reports a mapping that cannot work (kUsage);
// bad input throws caploop::Error kInput naming file, line and field. Not thread-safe; `progress` may be
// null.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/progress.h"
#include "io/ingest_records.h"

namespace caploop {

struct GenericMapping {
  std::string benchmark;                         // required: the benchmark every item belongs to
  std::string records_pointer;                   // .json files: the array of records ("" = the root); unused for JSONL
  std::optional<std::string> id_pointer;         // default: the record's 0-based index in its file
  std::string input_pointer;                     // required: the prompt sent to the model (string)
  std::optional<std::string> response_pointer;   // one response (string) ...
  std::optional<std::string> responses_pointer;  // ... or an array of responses: one sample each
  std::string response_text_pointer;             // within each element of `responses` ("" = the element is the text)
  std::string target_pointer;                    // required: the reference answer (a number becomes text)
  std::optional<std::string> finish_reason_pointer;  // in the record: a string, or an array with one per response
  std::optional<std::string> n_tokens_pointer;       // in the record: an integer, or an array with one per response
  std::optional<std::string> response_finish_reason_pointer;  // within each element of `responses` instead
  std::optional<std::string> response_n_tokens_pointer;       // within each element of `responses` instead
  std::optional<std::string> task_pointer;                    // the task, from the record
  std::optional<std::string> task_file_regex;                 // the task, from the file name (one capture group)
  std::optional<std::string> task;                            // a fixed task (default: the benchmark)
  std::vector<std::string> metadata_pointers;                 // copied into metadata_json, keyed by pointer without '/'
};

// Throws kUsage when the mapping is incomplete (no benchmark, input, target, or not exactly one of
// response/responses), a pointer is malformed, or the regex does not compile or lacks a capture group.
void validate_generic_mapping(const GenericMapping& mapping);

void import_generic(const std::vector<std::filesystem::path>& paths, const GenericMapping& mapping, RunInfo run,
                    IngestSink& sink, Progress* progress);

}  // namespace caploop
