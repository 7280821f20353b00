// CorpusShards: the statistics of a tagged corpus as a plan needs them: merged over the whole corpus, and per
// shard (one `X.stats.json` per input shard, as `caploop corpus tag` writes them), with a checksum of each
// statistics file so that `caploop sample` can tell when the corpus was re-tagged after the plan was made.
//
// Contract: read_corpus_shards() finds every *.stats.json under the given folders (or files named directly),
// merges them (merge_stats_files: kNotFound for a missing folder, kConflict for different taxonomies or
// tokenizers), and keeps each file's statistics, path and FNV-1a 64 checksum of its bytes (16 hex digits).
// A statistics file that covers other than exactly one input throws kInput naming it (a plan apportions quotas
// per shard); two files for the same shard throw kConflict naming both; no statistics at all throws kNotFound.
// Shards are sorted by mirrored path. The result is a plain value.
#pragma once

#include <string>
#include <vector>

#include "corpus/corpus_stats.h"

namespace caploop {

struct ShardStatistics {
  std::string path;        // mirrored input path (the statistics' one input)
  std::string stats_file;  // the file read
  std::string checksum;    // FNV-1a 64 of the file's bytes, 16 hex digits
  corpus::CorpusStats stats;
};

struct CorpusShards {
  std::vector<std::string> stats_dirs;  // as given
  corpus::CorpusStats merged;
  std::vector<ShardStatistics> shards;  // sorted by path
};

CorpusShards read_corpus_shards(const std::vector<std::string>& stats_dirs);

// "%016x" of the FNV-1a 64 hash of `bytes`: how plans record file checksums.
std::string checksum_of_bytes(std::string_view bytes);

}  // namespace caploop
