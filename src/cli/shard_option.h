// ShardOption: the `--shard I/N` flag shared by the commands that divide work by input shard (corpus tag,
// sample), combined with the process group when the binary runs under mpirun.
//
// Contract: parse_shard_flag("I/N") returns the 0-based share {I-1, N}; anything else, or I outside 1..N,
// throws a usage error (exit 2) quoting the flag. effective_share() divides that share further among the ranks
// of the process group: share I of N run by P ranks gives rank r the share (I-1)*P + r of N*P, so a job array
// of mpirun jobs still covers every input exactly once. A group of one leaves the share unchanged.
#pragma once

#include <string>

namespace caploop {
class ProcessGroup;
}

namespace caploop::cli {

struct ShardShare {
  int index = 0;  // 0-based
  int count = 1;
};

ShardShare parse_shard_flag(const std::string& flag);
ShardShare effective_share(const ShardShare& flag_share, const ProcessGroup& group);

}  // namespace caploop::cli
