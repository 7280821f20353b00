// ShardSampleRecord: what the draw of one corpus shard produced, written as the shard's ".sample.json" done
// mark after its output and manifest are in place; composition.json is merged from these records.
//
// Contract: shard_record_to_json() is deterministic (fixed key order, integers only, streams in plan order) and
// ends with "\n"; parse_shard_record() reads it back and throws caploop::Error (kInput) naming the file and
// field when the text is not such a record. A record marks its shard done only for the plan checksum and seed
// it carries (see sample_run.h). Plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace caploop::sampling {

// One stream's draw in one shard.
struct StreamDraw {
  std::string stream;
  int64_t available_tokens = 0;  // tokens of the shard's documents in the stream
  int64_t available_docs = 0;
  int64_t full_epochs = 0;       // every document of the stream drawn this many times
  int64_t remainder_quota = 0;   // this shard's part of the stream's remainder (shard_quota.h)
  int64_t remainder_tokens = 0;  // tokens drawn without replacement towards remainder_quota
  int64_t remainder_docs = 0;
  int64_t quota_tokens = 0;  // full_epochs x available_tokens + remainder_quota
  int64_t drawn_tokens = 0;  // full_epochs x available_tokens + remainder_tokens
  int64_t draws = 0;         // output lines of this stream
  bool operator==(const StreamDraw&) const = default;
};

struct ShardSampleRecord {
  std::string plan_checksum;  // sampling_plan_checksum() of the plan drawn
  uint64_t seed = 0;
  std::string shard;   // mirrored input path, as in the plan
  std::string output;  // output file, relative to the output folder
  int64_t lines = 0;   // input lines read
  int64_t docs = 0;    // documents with tags (lines the tag run did not skip)
  int64_t output_lines = 0;
  int64_t output_tokens = 0;
  std::vector<StreamDraw> streams;  // in plan order
  bool operator==(const ShardSampleRecord&) const = default;
};

std::string shard_record_to_json(const ShardSampleRecord& record);
ShardSampleRecord parse_shard_record(const std::string& json_text, const std::string& file);

}  // namespace caploop::sampling
