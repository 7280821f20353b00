// ShardSampler: draws one corpus shard for a plan and writes its output, manifest and done mark.
//
// Contract: sample_shard() makes two passes over the shard. Pass 1 reads the documents and their attribute
// rows in lockstep, checks that they are aligned (same number of rows, same ids) and that what it counts
// matches the plan (lines, documents, tokens per stream counted by job.tokens: a mismatch means the corpus or
// --text-field changed since the plan, kConflict), and keeps (key, line, tokens) per stream membership: memory is
// O(documents of this shard), flat in corpus size. Every document of a stream is drawn full_epochs times, then the
// stream's remainder quota for this shard is drawn without replacement (token_draw.h). Pass 2 re-reads the shard and
// writes each drawn line verbatim once per (stream, epoch) draw, in (line, stream, epoch) order, with one
// manifest row per output line; epochs are numbered from 1 (full passes first, the remainder draw last).
// Files appear by rename from ".tmp" names, the done mark last, so a killed run leaves no done mark for a
// shard it did not finish, and its rerun overwrites the temporary files it left. Errors throw caploop::Error: kNotFound
// for a missing attribute file, kInput naming file and line for misaligned or malformed rows, kConflict for
// disagreement with the plan, kIo for the file system. Thread-safe for different shards (no shared state).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/progress.h"
#include "corpus/token_counter.h"
#include "mixture/mixture_plan.h"
#include "sampling/shard_sample_record.h"

namespace caploop::sampling {

struct ShardSampleJob {
  const MixturePlan* plan = nullptr;
  size_t shard = 0;                       // index into plan->corpus.shards
  std::filesystem::path documents;        // the input shard
  std::filesystem::path attributes;       // its attribute file from `corpus tag`
  std::vector<int64_t> remainder_quotas;  // per plan stream: this shard's remainder quota (shard_quota.h)
  uint64_t seed = 0;
  std::string plan_checksum;
  std::filesystem::path out_dir;
  std::string id_field = "id";  // as given to `corpus tag` (dotted path)
  std::string text_field = "text";
  const corpus::TokenCounter* tokens = nullptr;  // counts as the tag run did (the plan's corpus.tokenizer)
};

ShardSampleRecord sample_shard(const ShardSampleJob& job, Progress* progress);

}  // namespace caploop::sampling
