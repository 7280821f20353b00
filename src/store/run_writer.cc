#include "store/run_writer.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "store/item_identity.h"
#include "store/json_text.h"
#include "store/text_store.h"

namespace caploop {

struct RunWriter::Statements {
  explicit Statements(Database& db)
      : find_item(db,
                  "SELECT id, content_hash, question_text FROM stored_items WHERE benchmark = ? AND task = ? AND "
                  "source_id = ?"),
        insert_item(db,
                    "INSERT INTO stored_items(benchmark, task, source_id, question_text, metadata_text, content_hash) "
                    "VALUES(?, ?, ?, ?, ?, ?)"),
        set_hash(db, "UPDATE stored_items SET content_hash = ? WHERE id = ?"),
        first_run_of_item(db,
                          // runs as the outer loop (CROSS JOIN fixes the order): one primary-key probe of
                          // run_items per run, never a scan of run_items (it has no index on item_id)
                          "SELECT r.name, r.harness, ri.prompt_text FROM runs r CROSS JOIN stored_run_items ri "
                          "ON ri.run_id = r.id AND ri.item_id = ? ORDER BY r.id LIMIT 1"),
        insert_run_item(
            db, "INSERT INTO stored_run_items(run_id, item_id, prompt_text, reference_text) VALUES(?, ?, ?, ?)"),
        insert_response(db,
                        "INSERT INTO stored_responses(run_id, item_id, sample_index, dictionary, body, n_tokens, "
                        "finish_reason) VALUES(?, ?, ?, ?, ?, ?, ?)"),
        insert_filtered(db, "INSERT INTO filtered_values(response_id, position, filter, value) VALUES(?, ?, ?, ?)"),
        insert_metric(db, "INSERT INTO harness_metrics(response_id, position, metric, value) VALUES(?, ?, ?, ?)"),
        task_has_items(db, "SELECT 1 FROM stored_items WHERE benchmark = ? AND task = ? LIMIT 1"),
        put_task(db,
                 "INSERT INTO run_tasks(run_id, benchmark, task, harness_metrics) VALUES(?, ?, ?, ?) "
                 "ON CONFLICT(run_id, benchmark, task) DO UPDATE SET harness_metrics = excluded.harness_metrics") {}
  Statement find_item, insert_item, set_hash, first_run_of_item, insert_run_item, insert_response, insert_filtered,
      insert_metric, task_has_items, put_task;
};

RunWriter::RunWriter(WorkspaceDb& ws, bool replace)
    : ws_(ws), replace_(replace), encoder_(std::make_unique<ItemEncoder>(ws)) {}
RunWriter::~RunWriter() = default;

void RunWriter::begin_run(const RunInfo& run) {
  if (run.name.empty()) throw Error(ErrorKind::kUsage, "a run needs a name (--run NAME)");
  if (auto existing = ws_.find_run(run.name)) {
    if (!replace_) {
      throw Error(ErrorKind::kConflict,
                  fmt::format("run '{}' already exists in '{}' ({} responses); pass --replace to re-ingest it",
                              run.name, ws_.path(), existing->n_responses));
    }
    ws_.delete_run(existing->id);
  }
  Statement st(ws_.db(),
               "INSERT INTO runs(name, model, checkpoint, harness, max_new_tokens, stop_sequences, temperature, "
               "top_p, do_sample, repeats, extra_json) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  const auto& g = run.generation;
  st.bind(1, std::string_view(run.name))
      .bind(2, std::string_view(run.model))
      .bind(3, std::string_view(run.checkpoint))
      .bind(4, std::string_view(run.harness))
      .bind(5, g.max_new_tokens)
      .bind(6, std::string_view(json_text::encode_string_array(g.stop_sequences)))
      .bind(7, g.temperature)
      .bind(8, g.top_p);
  if (g.do_sample) {
    st.bind(9, int64_t{*g.do_sample ? 1 : 0});
  } else {
    st.bind_null(9);
  }
  st.bind(10, g.repeats).bind(11, std::string_view(g.extra_json.empty() ? "{}" : g.extra_json));
  st.run();
  run_id_ = ws_.db().last_insert_rowid();
  st_ = std::make_unique<Statements>(ws_.db());
  texts_ = std::make_unique<TextStore>(ws_);
  Statement agg(ws_.db(),
                "INSERT OR REPLACE INTO harness_aggregates(run_id, benchmark, task, metric, value, stderr) "
                "VALUES(?, ?, ?, ?, ?, ?)");
  for (const auto& a : run.harness_aggregates) {
    agg.bind(1, run_id_)
        .bind(2, std::string_view(a.benchmark))
        .bind(3, std::string_view(a.task))
        .bind(4, std::string_view(a.metric))
        .bind(5, a.value)
        .bind(6, a.stderr_value)
        .run();
  }
}

namespace {

// The first 60 characters of an item's content, white space normalised, for messages.
std::string excerpt(std::string_view content) {
  std::string text = normalized_item_content(content);
  if (text.size() <= 60) return text;
  size_t cut = 57;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
  return text.substr(0, cut) + "...";
}

}  // namespace

std::string RunWriter::first_run_of(int64_t item_id) {
  std::string first_run = "an earlier run";
  st_->first_run_of_item.bind(1, item_id);
  if (st_->first_run_of_item.step()) {
    first_run = "run '" + st_->first_run_of_item.str(0) + "'";
    std::string harness = st_->first_run_of_item.str(1);
    if (!harness.empty()) first_run += " (" + harness + ")";
  }
  st_->first_run_of_item.reset();
  return first_run;
}

bool RunWriter::stored_is_question(int64_t item_id, int64_t stored_text) {
  // An item stores its question, or the prompt of the run that created it when that run gave no question apart.
  st_->first_run_of_item.bind(1, item_id);
  bool from_prompt = st_->first_run_of_item.step() && st_->first_run_of_item.int64(2) == stored_text;
  st_->first_run_of_item.reset();
  return !from_prompt;
}

bool RunWriter::task_had_items(const ItemRecord& item) {
  if (item.benchmark == had_items_task_.first && item.task == had_items_task_.second) return had_items_;
  had_items_task_ = {item.benchmark, item.task};
  auto [it, inserted] = task_had_items_.try_emplace(had_items_task_, false);
  if (inserted) {
    st_->task_has_items.bind(1, std::string_view(item.benchmark)).bind(2, std::string_view(item.task));
    it->second = st_->task_has_items.step();
    st_->task_has_items.reset();
  }
  had_items_ = it->second;
  return had_items_;
}

int64_t RunWriter::intern_item(const EncodedItem& encoded) {
  const ItemRecord& item = encoded.item;
  // A task the workspace had no items of before this run: the item is new unless this run gave it twice, which
  // the insert's UNIQUE constraint tells (then the lookup below finds the first and the run item fails).
  if (!task_had_items(item)) {
    int64_t content = texts_->intern(encoded.content(), encoded.content_digest, encoded.dictionary);
    int64_t metadata = texts_->intern(encoded.metadata(), encoded.metadata_digest, encoded.dictionary);
    auto& ins = st_->insert_item;
    ins.bind(1, std::string_view(item.benchmark))
        .bind(2, std::string_view(item.task))
        .bind(3, std::string_view(item.source_id))
        .bind(4, content)
        .bind(5, metadata)
        .bind(6, std::string_view(item.content_hash));
    if (ins.try_run()) return ws_.db().last_insert_rowid();
  }
  auto& find = st_->find_item;
  find.bind(1, std::string_view(item.benchmark))
      .bind(2, std::string_view(item.task))
      .bind(3, std::string_view(item.source_id));
  if (find.step()) {
    int64_t id = find.int64(0);
    std::string stored_hash = find.str(1);
    int64_t stored_text = find.int64(2);
    find.reset();
    const std::string_view content = item.question.empty() ? item.prompt : item.question;
    if ((item.content_hash.empty() || stored_hash.empty()) &&
        (!item.question.empty() || stored_is_question(id, stored_text))) {
      const std::string stored_content = texts_->read(stored_text);
      // The hashes cannot decide: compare the question texts, so that two harnesses numbering items differently
      // (Inspect counts from 1, lm-eval from 0) never merge two different questions into one item. Two prompts
      // alone cannot decide either (a CoT and a direct few-shot prompt of one question differ in their examples).
      if (!same_item_content(stored_content, content)) {
        throw Error(ErrorKind::kConflict,
                    fmt::format("item {}/{} id {} here is \"{}\" but the item with that identity, stored by {}, is "
                                "\"{}\": the two sources number their items differently; ingest one of them into "
                                "another workspace (--db) or under another benchmark name",
                                item.benchmark, item.task, item.source_id, excerpt(content), first_run_of(id),
                                excerpt(stored_content)),
                    item.origin);
      }
    }
    if (!item.content_hash.empty()) {
      if (stored_hash.empty()) {
        st_->set_hash.bind(1, std::string_view(item.content_hash)).bind(2, id).run();
      } else if (stored_hash != item.content_hash) {
        std::string first_run = first_run_of(id);
        throw Error(ErrorKind::kConflict,
                    fmt::format("item {}/{} id {} has content hash {} here but {} in {}: the same item identity "
                                "with different content (different benchmark versions?); ingest it under another "
                                "benchmark name or fix the source",
                                item.benchmark, item.task, item.source_id, item.content_hash, stored_hash, first_run),
                    item.origin);
      }
    }
    return id;
  }
  find.reset();
  auto& ins = st_->insert_item;
  ins.bind(1, std::string_view(item.benchmark))
      .bind(2, std::string_view(item.task))
      .bind(3, std::string_view(item.source_id))
      .bind(4, texts_->intern(encoded.content(), encoded.content_digest, encoded.dictionary))
      .bind(5, texts_->intern(encoded.metadata(), encoded.metadata_digest, encoded.dictionary))
      .bind(6, std::string_view(item.content_hash))
      .run();
  return ws_.db().last_insert_rowid();
}

void RunWriter::add_item(const ItemRecord& item, std::vector<ResponseRecord> responses) {
  add_owned_item(ItemRecord(item), std::move(responses));
}

void RunWriter::add_owned_item(ItemRecord&& item, std::vector<ResponseRecord> responses) {
  if (!st_) throw Error(ErrorKind::kInternal, "RunWriter::add_item before begin_run");
  add_encoded(encoder_->encode(std::move(item), std::move(responses)));
}

void RunWriter::add_encoded(EncodedItem&& encoded) {
  if (!st_) throw Error(ErrorKind::kInternal, "RunWriter::add_item before begin_run");
  const ItemRecord& item = encoded.item;
  const std::vector<ResponseRecord>& responses = encoded.responses;
  const int64_t dictionary = encoded.dictionary;
  if (!encoded.new_dictionary.empty()) {
    texts_->create_task_dictionary(item.benchmark, item.task, encoded.new_dictionary, dictionary);
  }
  int64_t item_id = intern_item(encoded);
  auto& ri = st_->insert_run_item;
  ri.bind(1, run_id_)
      .bind(2, item_id)
      .bind(3, texts_->intern(item.prompt, encoded.prompt_digest, dictionary))
      .bind(4, texts_->intern(item.reference, encoded.reference_digest, dictionary));
  if (!ri.try_run()) {
    throw Error(ErrorKind::kInput,
                fmt::format("item {}/{} id {} appears twice in this run", item.benchmark, item.task, item.source_id),
                item.origin);
  }
  ++items_;
  // The run's tasks, each with its harness metric names in the order first logged.
  auto [task, new_task] = metric_names_.try_emplace({item.benchmark, item.task});
  bool changed = new_task;
  for (const auto& r : responses) {
    for (const auto& [metric, value] : r.harness_metrics) {
      if (std::find(task->second.begin(), task->second.end(), metric) == task->second.end()) {
        task->second.push_back(metric);
        changed = true;
      }
    }
  }
  if (changed) {
    st_->put_task.bind(1, run_id_)
        .bind(2, std::string_view(item.benchmark))
        .bind(3, std::string_view(item.task))
        .bind(4, std::string_view(json_text::encode_string_array(task->second)))
        .run();
  }
  uint32_t written_task = 0;
  if (keep_written_) {
    if (written_tasks_.empty() || written_tasks_.back().first != item.benchmark ||
        written_tasks_.back().second != item.task) {
      auto known = std::find(written_tasks_.begin(), written_tasks_.end(), std::make_pair(item.benchmark, item.task));
      if (known == written_tasks_.end())
        known = written_tasks_.emplace(written_tasks_.end(), item.benchmark, item.task);
      written_task = static_cast<uint32_t>(known - written_tasks_.begin());
    } else {
      written_task = static_cast<uint32_t>(written_tasks_.size() - 1);
    }
  }
  for (size_t i = 0; i < responses.size(); ++i) {
    const ResponseRecord& r = responses[i];
    const EncodedResponse& body = encoded.bodies[i];
    auto& ins = st_->insert_response;
    ins.bind(1, run_id_).bind(2, item_id).bind(3, r.sample_index);
    if (body.raw) {
      ins.bind_null(4).bind(5, std::string_view(body.body));
    } else {
      ins.bind(4, dictionary).bind_blob(5, body.body);
    }
    ins.bind(6, r.n_tokens).bind(7, r.finish_reason);
    ins.run();
    int64_t response_id = ws_.db().last_insert_rowid();
    ++responses_;
    if (keep_written_)
      written_.push_back(WrittenResponse{response_id, item_id, r.sample_index, written_task, item.source_id});
    int64_t pos = 0;
    for (const auto& [filter, value] : r.filtered) {
      st_->insert_filtered.bind(1, response_id)
          .bind(2, pos++)
          .bind(3, std::string_view(filter))
          .bind(4, std::string_view(value))
          .run();
    }
    pos = 0;
    for (const auto& [metric, value] : r.harness_metrics) {
      st_->insert_metric.bind(1, response_id).bind(2, pos++).bind(3, std::string_view(metric)).bind(4, value).run();
      if (keep_written_ && r.sample_index == 0) log_first_sample_metric(response_id, metric, value);
    }
  }
}

void RunWriter::log_first_sample_metric(int64_t response_id, const std::string& metric, double value) {
  std::vector<std::string>& names = first_sample_metrics_.names;
  if (last_metric_ >= names.size() || names[last_metric_] != metric) {
    auto it = std::find(names.begin(), names.end(), metric);  // a run logs a few metric names
    if (it == names.end()) it = names.insert(names.end(), metric);
    last_metric_ = static_cast<size_t>(it - names.begin());
  }
  first_sample_metrics_.values.push_back({response_id, static_cast<uint32_t>(last_metric_), value});
}

}  // namespace caploop
