// ResponseReader: reads a run's responses back from the workspace in batches, with their item and reference.
//
// Contract: rows come in response id order (the order they were ingested), in batches of at most
// `batch_size`, so memory stays bounded for runs of millions of responses. Each row owns its strings. The stored
// response bodies of a batch are decompressed on `threads` threads (each with its own TextCodec; dictionaries are
// read once, on the calling thread); references are read once per distinct stored text.
// The reader holds a prepared statement of the WorkspaceDb it was given; it must not outlive it. Reading is
// safe while writing other tables through the same connection between batches (the statement is reset
// after every batch).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/workspace_db.h"

namespace caploop {

struct ResponseRow {
  int64_t response_id = 0;
  int64_t item_id = 0;
  std::string benchmark;
  std::string task;
  std::string source_id;
  int64_t sample_index = 0;
  std::string text;
  std::string reference;
  std::optional<int64_t> n_tokens;
  std::optional<std::string> finish_reason;
};

class ResponseReader {
 public:
  ResponseReader(WorkspaceDb& ws, int64_t run_id, size_t batch_size = 20000, unsigned threads = 1);
  ~ResponseReader();
  // Fills `out` (cleared first) with the next batch; returns false when there are no more rows.
  bool next_batch(std::vector<ResponseRow>& out);

 private:
  struct Encoded {
    bool raw = true;
    int64_t dictionary = 0;
  };
  const std::string& reference(int64_t text_id);

  WorkspaceDb& ws_;
  Statement st_;
  Statement reference_;
  int64_t run_id_;
  size_t batch_size_;
  int64_t last_id_ = 0;
  std::vector<Encoded> encoded_;                         // per row of the batch: how row.text is stored
  std::vector<std::unique_ptr<TextCodec>> codecs_;       // one per decoding thread
  std::unordered_map<int64_t, std::string> references_;  // stored text id -> text
};

// Longest response (bytes) per (benchmark, task) of a run: the evidence for inferring truncation.
std::map<std::pair<std::string, std::string>, int64_t> longest_response_per_task(WorkspaceDb& ws, int64_t run_id);

}  // namespace caploop
