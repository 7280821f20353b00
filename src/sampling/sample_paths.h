// SamplePaths: where `caploop sample` writes the draw of one corpus shard under its output folder.
//
// Contract: for a shard whose mirrored path (corpus/tag_run.h mirrored_path) is "a/x.jsonl.gz", the sampled
// documents go to OUT/a/x.jsonl.zst (the known endings .gz/.zst and then .jsonl/.json are replaced by
// ".jsonl.zst"), the manifest to OUT/a/x.jsonl.zst.manifest.jsonl and the done mark to
// OUT/a/x.jsonl.zst.sample.json. Each is first written to its name + ".tmp" and renamed into place, the done
// mark last. Pure functions.
#pragma once

#include <filesystem>
#include <string>

namespace caploop::sampling {

struct SamplePaths {
  std::string output_name;          // "a/x.jsonl.zst", relative to the output folder
  std::filesystem::path output;     // sampled documents (zstd JSONL)
  std::filesystem::path manifest;   // one row per output line
  std::filesystem::path done_mark;  // the shard's .sample.json, written last
};

std::string sample_output_name(const std::string& mirrored_shard_path);
SamplePaths sample_paths(const std::filesystem::path& out_dir, const std::string& mirrored_shard_path);
std::filesystem::path temp_path(const std::filesystem::path& final_path);  // final + ".tmp"

}  // namespace caploop::sampling
