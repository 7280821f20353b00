#include "cli/shard_option.h"

#include "cluster/process_group.h"

namespace caploop::cli {

ShardShare process_share(const std::string& flag) {
  const ShardShare share = parse_shard_flag(flag);
  return effective_share(share, ProcessGroup::current());
}

}  // namespace caploop::cli
