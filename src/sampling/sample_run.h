// Sample run: `caploop sample` as a library call — draws a MixturePlan from the tagged corpus shards given as
// inputs, resumably, divided among threads, --shard I/N shares and mpirun ranks without changing a byte.
//
// Contract:
//  - Inputs are expanded and sorted as `corpus tag` does (list_corpus_inputs); each must be a shard of the plan
//    (matched by mirrored path; otherwise kConflict "shard not in plan"), and its statistics file (as recorded
//    in the plan) must still have the plan's checksum (kConflict "corpus statistics changed since the plan"; a
//    missing one is kNotFound). Tokens are counted by the tokenizer the statistics were counted with
//    (plan corpus.tokenizer; a sentencepiece model must be given as tokenizer_model, else kConflict). These
//    checks cover every input, before anything is written, so every rank of a group fails alike.
//  - sample_shards() draws this process's share (cluster/shard_share.h: the inputs at positions i with
//    share_takes(share, i)) with sample_shard() (shard_sampler.h) on `threads` worker threads, one shard per
//    thread at a time. Attribute files are read from attributes_dir/<mirrored path> when given, else next to
//    the shard's statistics file (its path without ".stats.json").
//  - A shard whose done mark exists for the same plan checksum (plan_checksum.h) and seed, with its output and
//    manifest present, is skipped (resumed); a killed run rerun gives the same bytes as an uninterrupted one.
//    On an error the shards being drawn by other threads finish, no new ones start, and the error of the first
//    failing shard in input order is thrown.
//  - write_sample_composition() merges the done marks present into OUT/composition.json (sample_composition.h).
//  - run_sample() is the collective form for a ProcessGroup: every rank draws its share, the outcomes are
//    gathered to rank 0 (so no rank waits on a failed one); when every rank succeeded rank 0 writes
//    composition.json, else it throws an Error of the first failure's kind naming every failed rank (a group
//    of one rethrows its own error). Other ranks return their report.
// Output bytes depend only on the plan's sampling checksum, the seed and the documents. Not re-entrant for the
// same shard from two processes at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cluster/shard_share.h"
#include "mixture/mixture_plan.h"
#include "sampling/sample_composition.h"

namespace caploop {
class ProcessGroup;
}

namespace caploop::sampling {

struct SampleRunOptions {
  MixturePlan plan;
  std::string plan_file = "<plan>";  // named in errors
  uint64_t seed = 0;
  std::filesystem::path out_dir;
  std::optional<std::filesystem::path> attributes_dir;
  std::vector<std::filesystem::path> inputs;
  ShardShare share;  // this process's share (already combined with the ranks)
  int threads = 1;
  std::string id_field = "id";  // as given to `corpus tag`
  std::string text_field = "text";
  std::filesystem::path tokenizer_model;  // sentencepiece model when the statistics were counted with one
  bool progress = false;
};

struct SampleRunReport {
  std::string plan_checksum;
  std::vector<std::string> shards_sampled;  // mirrored paths drawn (run_sample on rank 0: by every rank)
  std::vector<std::string> shards_resumed;  // already done, skipped
  bool wrote_composition = false;
  SampleComposition composition;  // when wrote_composition
};

SampleRunReport sample_shards(const SampleRunOptions& options);
SampleComposition write_sample_composition(const SampleRunOptions& options);
SampleRunReport run_sample(const SampleRunOptions& options, ProcessGroup& group);

}  // namespace caploop::sampling
