#include "cluster/shard_share.h"

#include <fmt/format.h>

#include <limits>
#include <string_view>

#include "cluster/process_group.h"
#include "core/error.h"

namespace caploop {
namespace {

// A decimal number of 1 to 9 digits (so it fits an int), or -1.
int parse_count(std::string_view s) {
  if (s.empty() || s.size() > 9) return -1;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

ShardShare parse_shard_flag(const std::string& s) {
  const size_t slash = s.find('/');
  const int i = slash == std::string::npos ? -1 : parse_count(std::string_view(s).substr(0, slash));
  const int n = slash == std::string::npos ? -1 : parse_count(std::string_view(s).substr(slash + 1));
  if (i < 0 || n < 0) throw_usage_error(fmt::format("--shard must look like I/N, e.g. 2/8 (got '{}')", s));
  if (n < 1 || i < 1 || i > n) throw_usage_error(fmt::format("--shard I/N needs 1 <= I <= N (got '{}')", s));
  return {i - 1, n};
}

ShardShare rank_share(const ShardShare& flag_share, int rank, int ranks) {
  if (ranks < 1 || rank < 0 || rank >= ranks)
    throw Error(ErrorKind::kInternal, fmt::format("rank {} of a group of {}", rank, ranks));
  if (flag_share.count > std::numeric_limits<int>::max() / ranks)
    throw_usage_error(fmt::format("--shard {}/{} divided among {} ranks is more shares than fit an int",
                                  flag_share.index + 1, flag_share.count, ranks));
  return {flag_share.index + rank * flag_share.count, flag_share.count * ranks};
}

ShardShare effective_share(const ShardShare& flag_share, const ProcessGroup& group) {
  return rank_share(flag_share, group.rank(), group.size());
}

}  // namespace caploop
