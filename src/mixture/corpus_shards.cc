#include "mixture/corpus_shards.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "core/error.h"
#include "core/fnv1a.h"
#include "io/line_reader.h"

namespace caploop {

std::string checksum_of_bytes(std::string_view bytes) { return fmt::format("{:016x}", fnv1a64(bytes)); }

CorpusShards read_corpus_shards(const std::vector<std::string>& stats_dirs) {
  CorpusShards out;
  out.stats_dirs = stats_dirs;
  std::vector<std::string> files;
  out.merged = corpus::merge_stats_files(stats_dirs, &files);
  if (files.empty())
    throw Error(
        ErrorKind::kNotFound,
        fmt::format("no *.stats.json files under {} (run `caploop corpus tag` first)", fmt::join(stats_dirs, ", ")),
        {stats_dirs.empty() ? std::string() : stats_dirs.front(), 0, ""});
  for (const std::string& file : files) {
    ShardStatistics shard;
    const std::string bytes = read_whole_file(file, size_t{1} << 30);
    shard.stats_file = file;
    shard.checksum = checksum_of_bytes(bytes);
    shard.stats = corpus::parse_corpus_stats(bytes, file);
    if (shard.stats.inputs.size() != 1)
      throw_input_error(fmt::format("holds the statistics of {} inputs; a plan needs the per-shard statistics "
                                    "files `caploop corpus tag` writes (one input each)",
                                    shard.stats.inputs.size()),
                        {file, 0, "inputs"});
    shard.path = shard.stats.inputs.front();
    out.shards.push_back(std::move(shard));
  }
  std::sort(out.shards.begin(), out.shards.end(), [](const auto& a, const auto& b) {
    return a.path != b.path ? a.path < b.path : a.stats_file < b.stats_file;
  });
  for (size_t i = 1; i < out.shards.size(); ++i)
    if (out.shards[i].path == out.shards[i - 1].path)
      throw Error(
          ErrorKind::kConflict,
          fmt::format("shard {} is counted twice: also in {}", out.shards[i].path, out.shards[i - 1].stats_file),
          {out.shards[i].stats_file, 0, "inputs"});
  return out;
}

}  // namespace caploop
