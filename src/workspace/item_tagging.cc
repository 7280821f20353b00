#include "workspace/item_tagging.h"

#include <fmt/format.h>

#include <map>
#include <tuple>

#include "io/task_names.h"
#include "store/run_item_texts.h"
#include "store/text_store.h"

namespace caploop {

std::unique_ptr<TaggingSetup> TaggingSetup::load(const TaggingFiles& files) {
  auto s = std::unique_ptr<TaggingSetup>(new TaggingSetup());
  const EvalTaxonomy* taxonomy = &EvalTaxonomy::builtin();
  if (files.taxonomy) {
    s->own_taxonomy_ = std::make_unique<EvalTaxonomy>(EvalTaxonomy::load(*files.taxonomy));
    taxonomy = s->own_taxonomy_.get();
  }
  const TagRuleSet* rules = nullptr;
  if (files.rules) {
    s->own_rules_ = std::make_unique<TagRuleSet>(TagRuleSet::load(*files.rules, *taxonomy));
    rules = s->own_rules_.get();
  } else if (files.taxonomy) {
    throw Error(ErrorKind::kUsage,
                "a custom --taxonomy needs its own --rules (the built-in rules use the built-in taxonomy)");
  } else {
    rules = &TagRuleSet::builtin();
  }
  if (files.annotations) {
    s->annotations_ = std::make_unique<AnnotationSet>(AnnotationSet::load(*files.annotations, *taxonomy));
  }
  s->tagger_ = std::make_unique<ItemTagger>(*rules, s->annotations_.get());
  return s;
}

std::string question_for_tagging(const std::string& text) {
  size_t pos = text.rfind("\n\nQ: ");
  if (pos == std::string::npos) return text;
  std::string q = text.substr(pos + 2);
  // drop the answer cue that follows the question in few-shot prompts
  if (size_t a = q.rfind("\nA:"); a != std::string::npos) q.resize(a);
  return q;
}

std::string tagging_task(const std::string& benchmark, const std::string& task) {
  const BenchmarkTask base = map_lm_eval_task(task);
  return base.benchmark == benchmark && !base.task.empty() ? base.task : task;
}

InternedItems tag_items_of_runs_interned(WorkspaceDb& ws, const std::vector<int64_t>& run_ids,
                                         const ItemTagger& tagger) {
  return tag_listed_items(ws, items_of_runs(ws, run_ids), tagger);
}

InternedItems tag_listed_items(WorkspaceDb& ws, std::vector<ItemTextIds> rows, const ItemTagger& tagger) {
  // Items that share their texts (stored once) share their tags, unless annotations tag items by id.
  TextStore texts(ws);
  // Content key: the interned task name (its benchmark with it) and the three text ids.
  std::map<std::tuple<const std::string*, const std::string*, int64_t, int64_t, int64_t>,
           std::shared_ptr<const ItemTags>>
      tags_of_content;
  InternedItems out;
  out.items.reserve(rows.size());
  const std::string* last_benchmark = nullptr;  // rows of one task mostly follow each other: names reused
  const std::string* last_task = nullptr;
  for (ItemTextIds& row : rows) {
    InternedItem w;
    w.item_id = row.item_id;
    if (last_benchmark == nullptr || *last_benchmark != row.benchmark) {
      last_benchmark = &*out.names.insert(row.benchmark).first;
    }
    if (last_task == nullptr || *last_task != row.task) last_task = &*out.names.insert(row.task).first;
    const std::string& benchmark = *last_benchmark;
    const std::string& task = *last_task;
    w.benchmark = benchmark;
    w.task = task;
    auto key = std::make_tuple(&benchmark, &task, row.question_text, row.metadata_text, row.reference_text);
    auto cached = tags_of_content.find(key);
    if (cached != tags_of_content.end()) {
      w.tags = cached->second;
    } else {
      TaggableItem t;
      t.benchmark = row.benchmark;
      t.task = tagging_task(t.benchmark, row.task);
      t.source_id = row.source_id;
      t.text = question_for_tagging(texts.read(row.question_text));
      t.metadata_json = texts.read(row.metadata_text);
      t.reference = texts.read(row.reference_text);
      auto tags = std::make_shared<ItemTags>(tagger.tag(t));
      tags->dims["task"] = row.task;  // the task as stored, also for a variant tagged as its base
      w.tags = std::move(tags);
      if (!tagger.tags_by_item_id()) tags_of_content.emplace(std::move(key), w.tags);
    }
    w.source_id = std::move(row.source_id);
    out.items.push_back(std::move(w));
  }
  return out;
}

std::vector<WorkspaceItem> tag_items_of_runs(WorkspaceDb& ws, const std::vector<int64_t>& run_ids,
                                             const ItemTagger& tagger) {
  std::vector<WorkspaceItem> out;
  InternedItems interned = tag_items_of_runs_interned(ws, run_ids, tagger);
  out.reserve(interned.items.size());
  for (InternedItem& it : interned.items) {
    WorkspaceItem w;
    w.item_id = it.item_id;
    w.tagged.benchmark = std::string(it.benchmark);
    w.tagged.task = std::string(it.task);
    w.tagged.source_id = std::move(it.source_id);
    w.tagged.tags = *it.tags;
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace caploop
