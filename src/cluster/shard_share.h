// ShardShare: which inputs one process takes when work is divided by input shard, by a `--shard I/N` flag
// (a job array of N jobs), by the P ranks of an mpirun job, or both.
//
// Contract: inputs are listed in a fixed (sorted) order and a process with share {index, count} takes the
// inputs at positions i with i mod count == index. parse_shard_flag("I/N") returns the 0-based share {I-1, N};
// anything else (signs, spaces, missing parts, numbers above 999999999) or I outside 1..N throws a usage error
// (caploop::Error, kUsage) quoting the flag. rank_share() divides a share among P ranks: rank r of share I of N
// gets share (I-1) + r*N of N*P, i.e. the inputs with i mod N == I-1 whose quotient (i div N) mod P == r. So
// the P ranks together take exactly what a plain `--shard I/N` process takes, and a job array of N jobs covers
// every input exactly once whatever number of ranks each job runs with (a job may even be rerun with another
// -np). A group of one leaves the share unchanged. All functions are pure (thread-safe).
#pragma once

#include <string>

namespace caploop {

class ProcessGroup;

struct ShardShare {
  int index = 0;  // 0-based, in [0, count)
  int count = 1;
  bool operator==(const ShardShare&) const = default;
};

ShardShare parse_shard_flag(const std::string& flag);
// The share of rank `rank` of a group of `ranks` processes; kUsage if N * ranks does not fit an int.
ShardShare rank_share(const ShardShare& flag_share, int rank, int ranks);
// rank_share() for this process's rank in `group`.
ShardShare effective_share(const ShardShare& flag_share, const ProcessGroup& group);
// Whether the input at `position` belongs to `share`.
inline bool share_takes(const ShardShare& share, size_t position) {
  return position % static_cast<size_t>(share.count) == static_cast<size_t>(share.index);
}

}  // namespace caploop
