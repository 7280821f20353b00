#include "sampling/plan_checksum.h"

#include <fmt/format.h>

#include "core/fnv1a.h"

namespace caploop::sampling {

std::string sampling_plan_checksum(const MixturePlan& plan) {
  // Fields are separated by a tab and records by a newline; names never contain either (they are paths and
  // attribute names), and lengths are written before free text so that no two plans share a text.
  std::string text = "caploop-sampling-plan/1\n";
  for (const PlanStream& s : plan.streams) {
    text += fmt::format("stream\t{}:{}\t{}", s.name.size(), s.name, s.tags.size());
    for (const std::string& t : s.tags) text += fmt::format("\t{}:{}", t.size(), t);
    text += fmt::format("\t{}\t{}\t{}\t{}\n", s.available_tokens, s.quota_tokens, s.full_epochs, s.remainder_tokens);
  }
  for (const PlanShard& s : plan.corpus.shards) {
    text += fmt::format("shard\t{}:{}\t{}\t{}\t{}\t{}", s.path.size(), s.path, s.checksum, s.lines, s.docs, s.tokens);
    for (const auto& [stream, tokens] : s.stream_tokens)
      text += fmt::format("\t{}:{}={}", stream.size(), stream, tokens);
    text += "\n";
  }
  return fmt::format("{:016x}", fnv1a64(text));
}

}  // namespace caploop::sampling
