#include "cli/shard_option.h"

#include <fmt/format.h>

#include <stdexcept>

#include "cluster/process_group.h"
#include "core/error.h"

namespace caploop::cli {

ShardShare parse_shard_flag(const std::string& s) {
  size_t slash = s.find('/');
  int i = 0, n = 0;
  try {
    if (slash == std::string::npos) throw std::invalid_argument("no slash");
    size_t used = 0;
    i = std::stoi(s.substr(0, slash), &used);
    if (used != slash) throw std::invalid_argument("junk");
    n = std::stoi(s.substr(slash + 1), &used);
    if (used != s.size() - slash - 1) throw std::invalid_argument("junk");
  } catch (const std::exception&) {
    throw_usage_error(fmt::format("--shard must look like I/N, e.g. 2/8 (got '{}')", s));
  }
  if (n < 1 || i < 1 || i > n) throw_usage_error(fmt::format("--shard I/N needs 1 <= I <= N (got '{}')", s));
  return {i - 1, n};
}

ShardShare effective_share(const ShardShare& flag_share, const ProcessGroup& group) {
  return {flag_share.index * group.size() + group.rank(), flag_share.count * group.size()};
}

}  // namespace caploop::cli
