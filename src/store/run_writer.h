// RunWriter: the IngestSink that writes one imported run into the workspace.
//
// Contract: construct inside an open Transaction (the caller commits when the importer has finished, so a
// failed import leaves nothing behind). begin_run() refuses a run name that already exists (kConflict) unless
// `replace` was given, in which case the old run is deleted first. add_item() finds or creates the item by its
// identity (benchmark, task, source_id). When both the stored item and the new record carry a content hash
// (lm-eval doc_hash) and they differ, it throws kConflict naming the new record's file and line and the run
// that stored the item first. When either side has no hash and at least one side gives the item's question
// apart from its prompt, the texts decide (store/item_identity.h): a different question under the same identity
// throws kConflict naming both sources and both questions (two prompts alone cannot decide: a CoT and a direct
// few-shot prompt of one question differ). The
// same identity with different content is never merged silently.
// Texts are stored as TextStore and TextCodec say: prompts, questions, references and item metadata once each by
// content, responses compressed; each task's texts with the task's dictionary, made from the first item of the
// task the workspace met. The work that needs no database (digests, compressing the responses, making a new
// task's dictionary) is ItemEncoder's: add_item() encodes and then writes (add_encoded); a pipelined import
// encodes on the importer's thread with encoder() and hands the result to add_encoded() on this one, in order.
// Keeps a few prepared statements; not thread-safe (encoder() may be used by one other thread).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "io/ingest_records.h"
#include "store/harness_metrics.h"
#include "store/item_encoder.h"
#include "store/text_store.h"
#include "store/workspace_db.h"

namespace caploop {

// One response as written, for a caller that must match what it computed on the way in (streamed scores) to the
// stored rows without reading them back.
struct WrittenResponse {
  int64_t response_id = 0;
  int64_t item_id = 0;
  int64_t sample_index = 0;
  uint32_t task = 0;  // index into RunWriter::written_tasks()
  std::string source_id;
};

class RunWriter : public IngestSink {
 public:
  RunWriter(WorkspaceDb& ws, bool replace);
  ~RunWriter() override;

  void begin_run(const RunInfo& run) override;
  void add_item(const ItemRecord& item, std::vector<ResponseRecord> responses) override;
  void add_owned_item(ItemRecord&& item, std::vector<ResponseRecord> responses) override;
  // Writes an item encoded by encoder(); items reach it in the order they were encoded.
  void add_encoded(EncodedItem&& encoded);
  ItemEncoder& encoder() { return *encoder_; }

  int64_t run_id() const { return run_id_; }
  int64_t items_written() const { return items_; }
  int64_t responses_written() const { return responses_; }
  // Keeps a WrittenResponse per response from now on, in the order written (off unless asked for).
  void keep_written_responses() { keep_written_ = true; }
  const std::vector<WrittenResponse>& written_responses() const { return written_; }
  const std::vector<std::pair<std::string, std::string>>& written_tasks() const { return written_tasks_; }
  // With keep_written_responses: the harness metric values of the first samples written (for a summary of the run
  // that need not read them back).
  const FirstSampleMetricLog& written_first_sample_metrics() const { return first_sample_metrics_; }

 private:
  int64_t intern_item(const EncodedItem& encoded);
  bool task_had_items(const ItemRecord& item);  // whether the workspace had items of the item's task before this run
  std::string first_run_of(int64_t item_id);    // "run 'name' (harness)" that stored the item first
  // False when the stored content is the creating run's prompt (it gave no question apart).
  bool stored_is_question(int64_t item_id, int64_t stored_text);
  struct Statements;
  WorkspaceDb& ws_;
  bool replace_;
  int64_t run_id_ = 0;
  int64_t items_ = 0;
  int64_t responses_ = 0;
  std::unique_ptr<Statements> st_;
  std::unique_ptr<TextStore> texts_;
  std::unique_ptr<ItemEncoder> encoder_;
  std::map<std::pair<std::string, std::string>, bool> task_had_items_;
  std::pair<std::string, std::string> had_items_task_;  // the last task asked about, and its answer
  bool had_items_ = false;
  std::map<std::pair<std::string, std::string>, std::vector<std::string>>
      metric_names_;  // per task, first logged first
  bool keep_written_ = false;
  std::vector<WrittenResponse> written_;
  std::vector<std::pair<std::string, std::string>> written_tasks_;  // (benchmark, task) in the order first written
  void log_first_sample_metric(int64_t response_id, const std::string& metric, double value);
  FirstSampleMetricLog first_sample_metrics_;
  size_t last_metric_ = 0;  // the name last logged (runs log the same few in turn)
};

}  // namespace caploop
