// Item tagging over a workspace: the taxonomy, rules and annotations a user chose, applied to the items of runs.
//
// Contract: TaggingSetup::load() reads the files the user named (any of them may be absent: the built-in
// taxonomy and rules are used then); errors in those files throw kInput naming file, line and key. The loaded
// objects live inside the TaggingSetup, which must outlive anything tagged with it. tag_items_of_runs() tags
// every item evaluated by at least one of the runs, once, in item id order, and never drops an item: an item
// no rule tags comes back with empty axes. The text tagged is the item's question; for prompts that carry
// few-shot exemplars ("Q: ... A: ..." blocks) only the last "Q:" block is used, so exemplars do not tag the item.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "store/run_item_texts.h"
#include "store/workspace_db.h"
#include "taxonomy/annotation_set.h"
#include "taxonomy/eval_taxonomy.h"
#include "taxonomy/item_tagger.h"
#include "taxonomy/tag_coverage.h"
#include "taxonomy/tag_rules.h"

namespace caploop {

struct TaggingFiles {
  std::optional<std::filesystem::path> taxonomy;
  std::optional<std::filesystem::path> rules;
  std::optional<std::filesystem::path> annotations;
};

class TaggingSetup {
 public:
  static std::unique_ptr<TaggingSetup> load(const TaggingFiles& files);
  const ItemTagger& tagger() const { return *tagger_; }
  const EvalTaxonomy& taxonomy() const { return tagger_->taxonomy(); }

 private:
  std::unique_ptr<EvalTaxonomy> own_taxonomy_;
  std::unique_ptr<TagRuleSet> own_rules_;
  std::unique_ptr<AnnotationSet> annotations_;
  std::unique_ptr<ItemTagger> tagger_;
};

struct WorkspaceItem {
  int64_t item_id = 0;
  TaggedItem tagged;  // benchmark, task, source id, tags
  std::string key() const { return tagged.task + ":" + tagged.source_id; }
};

std::vector<WorkspaceItem> tag_items_of_runs(WorkspaceDb& ws, const std::vector<int64_t>& run_ids,
                                             const ItemTagger& tagger);

// The same items with their tags interned: items that share their content (benchmark, task, question, metadata
// and reference texts) share one tag set, unless the tagger tags items by id (annotations); benchmark and task
// names are held once too (the views point into the InternedItems, which owns them and may be moved). Same items,
// order and tags as tag_items_of_runs().
struct InternedItem {
  int64_t item_id = 0;
  std::string_view benchmark;
  std::string_view task;
  std::string source_id;
  std::shared_ptr<const ItemTags> tags;
  std::string key() const { return std::string(task) + ":" + source_id; }
};
struct InternedItems {
  std::set<std::string> names;  // the benchmark and task names the items view
  std::vector<InternedItem> items;
};
InternedItems tag_items_of_runs_interned(WorkspaceDb& ws, const std::vector<int64_t>& run_ids,
                                         const ItemTagger& tagger);
// The same for items listed already (store/run_item_texts.h: items_of_runs), in their order, reading their texts
// through `ws` (which may be another connection to the workspace than the one that listed them).
InternedItems tag_listed_items(WorkspaceDb& ws, std::vector<ItemTextIds> rows, const ItemTagger& tagger);

// The part of a prompt that is the item's own question (see the header comment).
// The task name the tagging rules know for a stored task: a variant an importer kept apart under its harness
// name (lm-eval `leaderboard_bbh_navigate` beside `bbh_cot_fewshot_navigate`, both bbh) is tagged as its base
// task (`navigate`); any other task as itself. The item keeps its own task name and `task` dimension.
std::string tagging_task(const std::string& benchmark, const std::string& task);

std::string question_for_tagging(const std::string& text);

}  // namespace caploop
