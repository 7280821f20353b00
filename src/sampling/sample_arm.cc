#include "sampling/sample_arm.h"

#include <fmt/format.h>

#include "core/error.h"

namespace caploop::sampling {

MixturePlan plan_for_arm(const MixturePlan& plan, std::string_view arm, const std::string& plan_file) {
  if (arm == "targeted") return plan;
  if (arm != "control")
    throw Error(ErrorKind::kUsage, fmt::format("--arm must be \"targeted\" or \"control\", got \"{}\"", arm));
  if (!plan.control)
    throw Error(ErrorKind::kConflict,
                "the plan has no control arm (made with --no-control, or by an older caploop): plan again to get one",
                SourceLocation{plan_file, 0, "/control"});
  MixturePlan out = plan;
  out.streams = plan.control->streams;
  out.base_tokens = plan.control->budget_tokens;
  out.target_tokens = 0;
  for (PlanShard& shard : out.corpus.shards) {
    std::map<std::string, int64_t> kept;
    for (const PlanStream& s : out.streams) {
      auto it = shard.stream_tokens.find(s.name);
      if (it != shard.stream_tokens.end()) kept.insert(*it);
    }
    shard.stream_tokens = std::move(kept);
  }
  return out;
}

}  // namespace caploop::sampling
