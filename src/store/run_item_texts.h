// Run item texts: what a run asked per item, read by text id, so that work done per distinct prompt (hashing it,
// listing its answer options) is done once however many items and runs share it (prompts are stored once).
//
// Contract: read-only. items_of_runs() lists items ordered by id. ResponsesOfBenchmark reads one benchmark's
// responses of a run in batches (bounded memory), in no particular order, with the ids of their prompt and
// reference texts, their bodies as stored (decompressed on the caller's threads) and, when a rule is named, that rule's
// stored score of each response (none when the response has no score under it). Not thread-safe: use the WorkspaceDb's
// thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/score_table.h"
#include "store/text_codec.h"
#include "store/thread_codecs.h"
#include "store/workspace_db.h"

namespace caploop {

// The items of some runs, once each by item id, with the ids of their question, metadata and reference texts (the
// reference as the first run, by id, that evaluated the item gave it).
struct ItemTextIds {
  int64_t item_id = 0;
  std::string benchmark;
  std::string task;
  std::string source_id;
  int64_t question_text = 0;
  int64_t metadata_text = 0;
  int64_t reference_text = 0;
};
std::vector<ItemTextIds> items_of_runs(WorkspaceDb& ws, const std::vector<int64_t>& run_ids);

// One response as a diagnosis reads it: texts by id (read and processed once per distinct text), the response's
// own text, and the stored score of the rule the reader was given.
struct ResponseOfBenchmark {
  int64_t item_id = 0;
  int64_t sample_index = 0;
  std::string task;
  int64_t prompt_text = 0;
  int64_t reference_text = 0;
  std::string text;  // the stored body until ResponsesOfBenchmark::decode() made it the text
  bool raw = true;   // the body is the text itself
  int64_t dictionary = 0;
  bool scored = false;  // a stored score of the rule exists (then `correct` and `ending` are set)
  bool correct = false;
  EndingKind ending = EndingKind::kStopped;
};

// Rows come with their bodies as stored; decode() turns a row's body into its text with the codec of decoding
// thread `k` (k < threads), so a batch is decompressed on the threads that process it: calls with different k
// may run concurrently, each k on one thread at a time.
class ResponsesOfBenchmark {
 public:
  // `stored_rule` empty: no stored scores are read (every row has scored == false).
  ResponsesOfBenchmark(WorkspaceDb& ws, int64_t run_id, std::string_view benchmark, std::string_view stored_rule,
                       unsigned threads);
  ~ResponsesOfBenchmark();
  // Fills `out` with the next rows (at most `max_rows`; the vector is resized, its strings' buffers reused);
  // returns the number of rows, 0 at the end. Touches no codec: may run while other rows are being decoded.
  size_t next_batch(std::vector<ResponseOfBenchmark>& out, size_t max_rows);
  // Loads the dictionaries the first `n` rows' bodies need; not while decode() runs.
  void load_dictionaries(const std::vector<ResponseOfBenchmark>& rows, size_t n);
  void decode(ResponseOfBenchmark& row, unsigned k);

 private:
  Statement st_;
  bool with_scores_;
  std::vector<std::pair<int64_t, uint8_t>> scores_;  // (response id, correct | ending << 1) under stored_rule, by id
  bool done_ = false;
  ThreadCodecs codecs_;
};

}  // namespace caploop
