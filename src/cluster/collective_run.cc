#include "cluster/collective_run.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <exception>
#include <utility>

#include "cluster/packed_strings.h"
#include "core/error.h"

namespace caploop {

std::optional<std::vector<std::string>> run_on_every_rank(ProcessGroup& group,
                                                          const std::function<std::string()>& work) {
  int error_kind = -1;  // -1, or the ErrorKind of the error that stopped this rank (kInternal if not an Error)
  std::string error;
  std::string result;
  std::exception_ptr failure;
  try {
    result = work();
  } catch (const Error& e) {
    failure = std::current_exception();
    error_kind = static_cast<int>(e.kind());
    error = e.what();
  } catch (const std::exception& e) {
    failure = std::current_exception();
    error_kind = static_cast<int>(ErrorKind::kInternal);
    error = e.what();
  }
  const std::vector<std::string> gathered =
      group.gather_to_root(pack_strings({std::to_string(error_kind), error, result}));
  if (!group.is_root()) return std::nullopt;
  if (failure && !group.distributed()) std::rethrow_exception(failure);

  std::vector<std::string> results;
  std::vector<std::pair<std::string, std::vector<size_t>>> errors;  // message -> ranks, first seen first
  size_t failed_ranks = 0;
  ErrorKind failed_kind = ErrorKind::kInternal;
  for (size_t rank = 0; rank < gathered.size(); ++rank) {
    const std::vector<std::string> f = unpack_strings(gathered[rank], fmt::format("outcome of rank {}", rank));
    if (f.size() != 3)
      throw Error(ErrorKind::kInternal, fmt::format("outcome of rank {}: {} fields, expected 3", rank, f.size()));
    const int kind = std::stoi(f[0]);
    if (kind < 0) {
      results.push_back(f[2]);
      continue;
    }
    if (failed_ranks++ == 0) failed_kind = static_cast<ErrorKind>(kind);
    auto same = std::find_if(errors.begin(), errors.end(), [&](const auto& e) { return e.first == f[1]; });
    if (same == errors.end())
      errors.push_back({f[1], {rank}});
    else
      same->second.push_back(rank);
  }
  if (failed_ranks > 0) {
    std::vector<std::string> told;
    for (const auto& [text, ranks] : errors)
      told.push_back(fmt::format("{} {}: {}", ranks.size() == 1 ? "rank" : "ranks", fmt::join(ranks, ", "), text));
    throw Error(failed_kind,
                fmt::format("{} of {} ranks failed; {}", failed_ranks, gathered.size(), fmt::join(told, "; ")));
  }
  return results;
}

}  // namespace caploop
