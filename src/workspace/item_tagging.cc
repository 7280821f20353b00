#include "workspace/item_tagging.h"

#include <fmt/format.h>

#include "io/task_names.h"
#include "store/sqlite.h"

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
    throw Error(ErrorKind::kUsage, "a custom --taxonomy needs its own --rules (the built-in rules use the built-in taxonomy)");
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

std::vector<WorkspaceItem> tag_items_of_runs(WorkspaceDb& ws, const std::vector<int64_t>& run_ids,
                                             const ItemTagger& tagger) {
  std::string in;
  for (int64_t id : run_ids) in += (in.empty() ? "" : ",") + std::to_string(id);
  if (in.empty()) return {};
  // One row per item; the reference comes from the first run (by id) that evaluated it.
  std::string sql = fmt::format(
      "SELECT i.id, i.benchmark, i.task, i.source_id, i.question, i.metadata_json, "
      "(SELECT ri.reference FROM run_items ri WHERE ri.item_id = i.id AND ri.run_id IN ({0}) ORDER BY ri.run_id LIMIT 1) "
      "FROM items i WHERE i.id IN (SELECT item_id FROM run_items WHERE run_id IN ({0})) ORDER BY i.id",
      in);
  Statement st(ws.db(), sql.c_str());
  std::vector<WorkspaceItem> out;
  while (st.step()) {
    TaggableItem t;
    t.benchmark = st.str(1);
    t.task = tagging_task(t.benchmark, st.str(2));
    t.source_id = st.str(3);
    t.text = question_for_tagging(st.str(4));
    t.metadata_json = st.str(5);
    t.reference = st.str(6);
    WorkspaceItem w;
    w.item_id = st.int64(0);
    w.tagged.benchmark = t.benchmark;
    w.tagged.task = st.str(2);
    w.tagged.source_id = t.source_id;
    w.tagged.tags = tagger.tag(t);
    w.tagged.tags.dims["task"] = w.tagged.task;  // the task as stored, also for a variant tagged as its base
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace caploop
