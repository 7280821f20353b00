// CollectiveRun: runs one share of a divided job on every rank of a process group and brings the ranks'
// results to rank 0, so that one failing rank can never leave the others waiting and rank 0 can speak for all.
//
// Contract: run_on_every_rank() calls `work` on this rank, catching any exception, then gathers every rank's
// outcome to rank 0 (collective: every rank must call it in the same order). On ranks other than 0 it returns
// std::nullopt and never throws for a failure of `work`. On rank 0:
//   - when every rank succeeded, it returns the strings `work` returned, in rank order;
//   - in a group of one, a failure of `work` is rethrown unchanged;
//   - otherwise it throws caploop::Error with the kind of the first failed rank's error and the message
//     "<k> of <n> ranks failed; rank r: <message>; ranks s, t: <message>" (the same message on several ranks
//     is told once, with their ranks).
// The strings travel as given (pack several fields with cluster/packed_strings.h). Main thread only.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cluster/process_group.h"

namespace caploop {

std::optional<std::vector<std::string>> run_on_every_rank(ProcessGroup& group,
                                                          const std::function<std::string()>& work);

}  // namespace caploop
