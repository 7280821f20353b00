// Corpus tag run: tags the documents of JSONL shards (plain, .gz, .zst) and writes, under an output folder that
// mirrors the input paths, one Dolma attribute file per shard (same rows, same order) and its statistics.
//
// Contract:
//  - Inputs (files, or folders searched for *.jsonl / *.json with optional .gz / .zst) are sorted by path;
//    with shard I of N (0-based index here), this run takes the inputs whose position i has i % N == I.
//  - For input X (X's path made relative: leading "/" dropped, ".." written "__"), the run writes
//    OUT/X (attributes, compressed like X) and then OUT/X.stats.json (CorpusStats of that shard), each
//    first to a ".tmp" name and renamed into place; the statistics file is the shard's "done" mark. A rerun
//    skips shards whose statistics exist for the same taxonomy fingerprint and tokenizer (TokenCounter::id()),
//    so a killed run resumes and its
//    outputs are byte-identical to an uninterrupted run's.
//  - Each attribute row is {"id": ..., "attributes": {"<axis>__<tag>": [[0, <code points>, <score>]], ...}};
//    the id is the document's id field (string or number), or the 1-based line number as a string when absent.
//  - Documents are tagged by `threads` worker threads in batches; output order never depends on timing.
//  - A malformed line (not JSON, not an object, no text string, invalid UTF-8) with on_error = kFail throws
//    caploop::Error (kInput) naming file, line and reason; with kSkip it is counted, listed in the shard's
//    statistics and the report, and written as {"id": null, "attributes": {}, "error": "<reason>"} so rows
//    stay aligned. A corrupt compressed stream fails the shard (no outputs are renamed into place): kFail
//    rethrows, kSkip records it in TagRunReport::failed_shards and moves on.
//  - Paths are checked before any work (corpus/output_paths.h): two inputs to one output path, and an output
//    path that a symbolic link already under OUT would lead out of OUT, are refused; a folder named as input
//    that holds no shard is kNotFound; folders reached through symbolic links are searched.
//  - One process per share of OUT: a second run of the same share (I of N) into OUT while the first runs is
//    refused with kConflict (a lock file OUT/.caploop-corpus-tag-I-of-N.lock, removed when the run ends).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "corpus/corpus_stats.h"
#include "corpus/data_taxonomy.h"
#include "corpus/token_counter.h"

namespace caploop::corpus {

enum class OnError { kSkip, kFail };

struct TagRunOptions {
  std::shared_ptr<const DataTaxonomy> taxonomy;
  std::filesystem::path out_dir;
  std::vector<std::filesystem::path> inputs;
  int threads = 1;
  int shard_index = 0;  // 0-based
  int shard_count = 1;
  OnError on_error = OnError::kFail;
  std::string id_field = "id";
  std::string text_field = "text";
  std::filesystem::path tokenizer_model;  // sentencepiece model counting tokens; empty = the bytes/4 estimate
  size_t batch_bytes = size_t{1} << 20;
  bool progress = false;
};

struct TagRunReport {
  std::vector<std::string> shards_tagged;   // mirrored paths tagged by this run
  std::vector<std::string> shards_resumed;  // already done, skipped
  std::vector<std::string> failed_shards;   // "file: reason" (kSkip only)
  std::vector<std::string> skipped_lines;   // "file:line: reason", at most 100 per shard
  uint64_t skipped_line_count = 0;
  CorpusStats stats;  // merged statistics of the shards tagged by this run
};

// Expands folders and sorts; throws kNotFound for a missing input.
std::vector<std::filesystem::path> list_corpus_inputs(const std::vector<std::filesystem::path>& inputs);
// The path of an input under the output folder (see above).
std::filesystem::path mirrored_path(const std::filesystem::path& input);

TagRunReport run_corpus_tag(const TagRunOptions& options);

}  // namespace caploop::corpus
