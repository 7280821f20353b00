// SampleComposition: what a sample holds per stream against the plan's quotas, merged from the done marks
// (".sample.json") of the shards drawn so far; written as OUT/composition.json by `caploop sample`.
//
// Contract: compose_sample() looks, for every shard of the plan in plan order, for its done mark under the
// output folder; a mark counts when it parses, names the shard and carries the given plan checksum and seed
// (others are listed as missing). Per stream it sums quotas and draws of the shards counted; quota_tokens is
// the plan's, done_quota_tokens the part of it the counted shards were asked for (equal when complete), and
// relative_error = (drawn - done_quota) / done_quota (0 when the quota is 0). composition_to_json() is
// deterministic (fixed key order, streams in plan order, no times or folder names) and ends with "\n".
// Throws caploop::Error (kIo) only when the folder cannot be read. Plain values.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "mixture/mixture_plan.h"

namespace caploop::sampling {

struct StreamComposition {
  std::string name;
  StreamKind kind = StreamKind::kBase;
  int64_t available_tokens = 0;   // plan
  int64_t quota_tokens = 0;       // plan
  int64_t full_epochs = 0;        // plan
  int64_t done_quota_tokens = 0;  // quota of the shards counted
  int64_t drawn_tokens = 0;
  int64_t draws = 0;           // output lines (documents, counted once per epoch)
  int64_t remainder_docs = 0;  // distinct documents of the remainder draw
  double epochs = 0.0;         // drawn_tokens / available_tokens
  double share = 0.0;          // drawn_tokens / all drawn tokens
  double relative_error = 0.0;
};

struct SampleComposition {
  std::string plan_checksum;
  uint64_t seed = 0;
  bool complete = false;  // every shard of the plan is done
  int64_t shards_total = 0;
  int64_t shards_done = 0;
  std::vector<std::string> missing_shards;  // plan shards without a matching done mark
  int64_t budget_tokens = 0;                // plan
  int64_t quota_tokens = 0;                 // sum of stream quotas
  int64_t drawn_tokens = 0;
  int64_t output_lines = 0;
  std::vector<std::string> outputs;        // output files counted, relative to the folder
  std::vector<StreamComposition> streams;  // plan order
};

SampleComposition compose_sample(const MixturePlan& plan, const std::string& plan_checksum, uint64_t seed,
                                 const std::filesystem::path& out_dir);
std::string composition_to_json(const SampleComposition& composition);

}  // namespace caploop::sampling
