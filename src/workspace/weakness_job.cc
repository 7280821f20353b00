#include "workspace/weakness_job.h"

#include "workspace/item_tagging.h"
#include "workspace/run_outcomes.h"

namespace caploop {

MiningResult find_weaknesses(WorkspaceDb& ws, const std::vector<std::string>& runs, const std::optional<std::string>& rule,
                             const ItemTagger& tagger, const MinerOptions& options, unsigned threads) {
  std::vector<RunRow> rows;
  std::vector<int64_t> ids;
  for (const auto& name : runs) {
    rows.push_back(ws.run_or_throw(name));
    ids.push_back(rows.back().id);
  }
  auto items = tag_items_of_runs(ws, ids, tagger);
  std::vector<ItemTags> tags;
  std::vector<std::string> names;
  tags.reserve(items.size());
  names.reserve(items.size());
  for (const auto& it : items) {
    tags.push_back(it.tagged.tags);
    names.push_back(it.key());
  }
  std::vector<std::vector<ItemOutcome>> outcomes;
  for (const auto& run : rows) {
    auto per_item = load_run_outcomes(ws, run, rule, threads, nullptr);
    std::vector<ItemOutcome> aligned(items.size());
    for (size_t i = 0; i < items.size(); ++i) {
      auto it = per_item.find(items[i].item_id);
      if (it != per_item.end()) aligned[i] = {it->second.samples, it->second.correct};
    }
    outcomes.push_back(std::move(aligned));
  }
  return mine_weaknesses(tags, names, outcomes, options);
}

}  // namespace caploop
