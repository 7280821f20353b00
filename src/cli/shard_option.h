// ShardOption: the `--shard I/N` flag shared by the commands that divide work by input shard (corpus tag,
// sample), combined with the process group when the binary runs under mpirun. The arithmetic lives in
// cluster/shard_share.h (see its contract); this header gives the commands one call for "my share".
//
// Contract: process_share(flag) parses the flag (usage error, exit 2, when malformed) and divides it among the
// ranks of ProcessGroup::current(), which it initialises (MPI under mpirun). Main thread only.
#pragma once

#include <string>

#include "cluster/shard_share.h"

namespace caploop::cli {

using caploop::effective_share;
using caploop::parse_shard_flag;
using caploop::ShardShare;

ShardShare process_share(const std::string& flag);

}  // namespace caploop::cli
