// The records an importer produces, and the sink it hands them to.
//
// An importer reads one harness's per-sample output and calls, in this order, IngestSink::begin_run once
// and then IngestSink::add_item once per evaluation item (a document, question or problem), passing all of
// that item's responses together (several for repeats or sampling). The importer owns de-duplication
// within its input (e.g. lm-eval's one record per doc and filter becomes one ItemRecord with the responses
// carrying every filter's value). It never edits response text. Errors in the input are thrown as
// caploop::Error of kind kInput with file, line and field set (core/error.h); a sink that rejects an item
// (e.g. a content conflict with an earlier run) throws kConflict.
//
// Identity: an item is identified across runs by (benchmark, task, source_id). Prompts may differ between
// runs (CoT and direct prompts of the same BBH question); `prompt` is this run's text, `question` the item's
// own content when the source gives it separately (empty otherwise).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"

namespace caploop {

// How the run generated text, as far as the harness recorded it.
struct GenerationSettings {
  std::optional<int64_t> max_new_tokens;    // length limit in tokens
  std::vector<std::string> stop_sequences;  // "until" in lm-eval
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<bool> do_sample;
  std::optional<int64_t> repeats;  // samples per item requested
  std::string extra_json = "{}";   // any other settings verbatim, as a JSON object
};

// One aggregate the harness reported for a task (lm-eval's results file, Inspect's header), kept to compare
// caploop's own score with: metric named as in ResponseRecord::harness_metrics, value on the harness's scale.
struct HarnessAggregate {
  std::string benchmark;
  std::string task;
  std::string metric;  // "acc_norm,none", "exact_match,flexible-extract", "accuracy,none"
  double value = 0;
  std::optional<double> stderr_value;
};

struct RunInfo {
  std::string name;        // unique in a workspace, chosen by the user (--run)
  std::string model;       // model name or path, when known
  std::string checkpoint;  // e.g. "step-143000", when known
  std::string harness;     // "lm-eval", "opencompass", "generic"
  GenerationSettings generation;
  std::vector<HarnessAggregate> harness_aggregates;  // what the harness itself reported, when it did
};

struct ItemRecord {
  std::string benchmark;  // e.g. "bbh", "gsm8k", "math"
  std::string task;       // e.g. "date_understanding", "algebra"; equals benchmark when there are no subtasks
  std::string source_id;  // the item's id as the source gave it (lm-eval doc_id, record index, ...)
  std::string prompt;     // what this run sent to the model (may be a full few-shot prompt)
  std::string question;   // the item's own content when separable (lm-eval doc question), else empty
  std::string reference;  // the reference answer as text
  std::string metadata_json = "{}";  // source fields kept as metadata (MATH type/level, lm-eval doc), JSON object
  std::string content_hash;          // identity of the content when the source gives it (lm-eval doc_hash); else empty
  SourceLocation origin;             // where the item was read (file, line of its first record)
};

struct ResponseRecord {
  int64_t sample_index = 0;                  // 0-based among this item's samples in this run
  std::string text;                          // raw generation, never modified
  std::optional<std::string> finish_reason;  // as recorded: "stop", "length", "eos", ...
  std::optional<int64_t> n_tokens;           // generated tokens, when recorded
  // Values the harness's own filters extracted, in the harness's order: (filter name, value).
  std::vector<std::pair<std::string, std::string>> filtered;
  // Per-record metrics the harness itself logged for this response, in the harness's order: (metric, value).
  // Metrics are named "<metric>,<filter>" as lm-eval names them in its results ("exact_match,strict-match",
  // "acc_norm,none"); harnesses without filters use "<metric>,none". A value the harness logged as NaN is kept.
  std::vector<std::pair<std::string, double>> harness_metrics;
};

class IngestSink {
 public:
  virtual ~IngestSink() = default;
  // Called once, before any item.
  virtual void begin_run(const RunInfo& run) = 0;
  // Called once per item of the run, with all its responses (sample_index 0..n-1).
  virtual void add_item(const ItemRecord& item, std::vector<ResponseRecord> responses) = 0;
  // The same as add_item, for an importer that no longer needs the record: a sink that keeps it (a queue to
  // another thread) takes it over instead of copying its texts.
  virtual void add_owned_item(ItemRecord&& item, std::vector<ResponseRecord> responses) {
    add_item(item, std::move(responses));
  }
};

}  // namespace caploop
