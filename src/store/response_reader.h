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

#include "store/thread_codecs.h"
#include "store/workspace_db.h"

namespace caploop {

struct ResponseRow {
  int64_t response_id = 0;
  int64_t item_id = 0;
  std::string benchmark;
  std::string task;
  std::string source_id;
  int64_t sample_index = 0;
  std::string text;  // the generation; its stored (compressed) form after next_batch(rows, false), until decode()
  std::string reference;
  std::optional<int64_t> n_tokens;
  std::optional<std::string> finish_reason;
  bool compressed = false;  // `text` still holds the stored zstd frame (see ResponseReader::decode)
  int64_t dictionary = 0;   // the frame's dictionary (0: none)
};

class ResponseReader {
 public:
  ResponseReader(WorkspaceDb& ws, int64_t run_id, size_t batch_size = 20000, unsigned threads = 1);
  ~ResponseReader();
  // Fills `out` (cleared first) with the next batch; returns false when there are no more rows. With `decode`
  // false the texts keep their stored form (ResponseRow::compressed), for decode() on other threads.
  bool next_batch(std::vector<ResponseRow>& out, bool decode = true);
  // Before decode(): reads the dictionaries `rows` need (on the calling thread, while no decode() runs).
  void load_dictionaries(const std::vector<ResponseRow>& rows);
  // Decompresses rows [begin, end) of a batch in place with decoding context `worker` (< threads): callable from
  // `threads` threads at once, each with its own worker index, while the calling thread reads the next batch with
  // next_batch(rows, false) (which touches no decoding context).
  void decode(std::vector<ResponseRow>& rows, size_t begin, size_t end, unsigned worker);
  unsigned threads() const { return codecs_.size(); }

 private:
  const std::string& reference(int64_t text_id);

  Statement st_;
  Statement reference_;
  int64_t run_id_;
  size_t batch_size_;
  int64_t last_id_ = 0;
  ThreadCodecs codecs_;
  std::unordered_map<int64_t, std::string> references_;  // stored text id -> text
};

// Longest response (bytes) per (benchmark, task) of a run: the evidence for inferring truncation.
std::map<std::pair<std::string, std::string>, int64_t> longest_response_per_task(WorkspaceDb& ws, int64_t run_id);

}  // namespace caploop
