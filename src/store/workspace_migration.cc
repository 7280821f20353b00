#include "store/workspace_migration.h"

#include <fmt/format.h>

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "core/error.h"
#include "eval/ending.h"
#include "store/json_text.h"
#include "store/score_set.h"
#include "store/score_table.h"
#include "store/text_store.h"
#include "store/workspace_db.h"

namespace caploop {

const char* legacy_schema_v2_sql() {
  return R"SQL(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE runs(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  model TEXT NOT NULL DEFAULT '',
  checkpoint TEXT NOT NULL DEFAULT '',
  harness TEXT NOT NULL DEFAULT '',
  max_new_tokens INTEGER,
  stop_sequences TEXT NOT NULL DEFAULT '[]',
  temperature REAL,
  top_p REAL,
  do_sample INTEGER,
  repeats INTEGER,
  extra_json TEXT NOT NULL DEFAULT '{}');
CREATE TABLE items(
  id INTEGER PRIMARY KEY,
  benchmark TEXT NOT NULL,
  task TEXT NOT NULL,
  source_id TEXT NOT NULL,
  question TEXT NOT NULL,
  metadata_json TEXT NOT NULL,
  content_hash TEXT NOT NULL DEFAULT '',
  UNIQUE(benchmark, task, source_id));
CREATE TABLE run_items(
  run_id INTEGER NOT NULL REFERENCES runs(id),
  item_id INTEGER NOT NULL REFERENCES items(id),
  prompt TEXT NOT NULL,
  reference TEXT NOT NULL,
  PRIMARY KEY(run_id, item_id)) WITHOUT ROWID;
CREATE TABLE responses(
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  item_id INTEGER NOT NULL REFERENCES items(id),
  sample_index INTEGER NOT NULL,
  text TEXT NOT NULL,
  n_bytes INTEGER NOT NULL,
  n_tokens INTEGER,
  finish_reason TEXT,
  UNIQUE(run_id, item_id, sample_index));
CREATE TABLE filtered_values(
  response_id INTEGER NOT NULL REFERENCES responses(id),
  position INTEGER NOT NULL,
  filter TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY(response_id, position)) WITHOUT ROWID;
CREATE TABLE scores(
  response_id INTEGER NOT NULL REFERENCES responses(id),
  rule TEXT NOT NULL,
  rule_version INTEGER NOT NULL,
  found INTEGER NOT NULL,
  answer TEXT NOT NULL,
  correct INTEGER NOT NULL,
  ending TEXT NOT NULL,
  ending_evidence TEXT NOT NULL,
  ran_on INTEGER NOT NULL,
  truncated INTEGER NOT NULL,
  repetitive INTEGER NOT NULL,
  PRIMARY KEY(rule, response_id)) WITHOUT ROWID;
CREATE TABLE harness_metrics(
  response_id INTEGER NOT NULL REFERENCES responses(id),
  position INTEGER NOT NULL,
  metric TEXT NOT NULL,
  value REAL,
  PRIMARY KEY(response_id, position)) WITHOUT ROWID;
CREATE TABLE harness_aggregates(
  run_id INTEGER NOT NULL REFERENCES runs(id),
  benchmark TEXT NOT NULL,
  task TEXT NOT NULL,
  metric TEXT NOT NULL,
  value REAL,
  stderr REAL,
  PRIMARY KEY(run_id, benchmark, task, metric)) WITHOUT ROWID;
INSERT INTO meta(key, value) VALUES('schema_version', '2');
)SQL";
}

void migrate_legacy_tables(WorkspaceDb& ws) {
  Database& db = ws.db();
  TextStore texts(ws);
  {
    // The first item of each task (by id) seeds its dictionary: the prompt of the first run that evaluated it
    // and that run's responses to it, as RunWriter does when it meets a task first.
    Statement items(db,
                    "SELECT id, benchmark, task, source_id, question, metadata_json, content_hash FROM main.items "
                    "ORDER BY id");
    Statement first_run(db, "SELECT run_id, prompt FROM main.run_items WHERE item_id = ? ORDER BY run_id LIMIT 1");
    Statement responses_of(db,
                           "SELECT text FROM main.responses WHERE run_id = ? AND item_id = ? ORDER BY sample_index");
    Statement insert(db,
                     "INSERT INTO stored_items(id, benchmark, task, source_id, question_text, metadata_text, "
                     "content_hash) VALUES(?, ?, ?, ?, ?, ?, ?)");
    while (items.step()) {
      int64_t id = items.int64(0);
      std::string benchmark = items.str(1), task = items.str(2);
      int64_t dictionary = texts.task_dictionary(benchmark, task);
      if (dictionary == 0) {
        std::string prompt;
        std::vector<std::string> bodies;
        first_run.bind(1, id);
        if (first_run.step()) {
          prompt = first_run.str(1);
          responses_of.bind(1, first_run.int64(0)).bind(2, id);
          while (responses_of.step()) bodies.push_back(responses_of.str(0));
          responses_of.reset();
        }
        first_run.reset();
        std::vector<std::string_view> views(bodies.begin(), bodies.end());
        dictionary = texts.ensure_task_dictionary(benchmark, task, prompt, views);
      }
      insert.bind(1, id)
          .bind(2, std::string_view(benchmark))
          .bind(3, std::string_view(task))
          .bind(4, items.text(3))
          .bind(5, texts.intern(items.text(4), dictionary))
          .bind(6, texts.intern(items.text(5), dictionary))
          .bind(7, items.text(6))
          .run();
    }
  }
  {
    Statement rows(db,
                   "SELECT ri.run_id, ri.item_id, ri.prompt, ri.reference, d.id FROM main.run_items ri "
                   "JOIN main.items i ON i.id = ri.item_id "
                   "LEFT JOIN dictionaries d ON d.benchmark = i.benchmark AND d.task = i.task");
    Statement insert(db,
                     "INSERT INTO stored_run_items(run_id, item_id, prompt_text, reference_text) VALUES(?, ?, ?, ?)");
    while (rows.step()) {
      int64_t dictionary = rows.is_null(4) ? 0 : rows.int64(4);
      insert.bind(1, rows.int64(0))
          .bind(2, rows.int64(1))
          .bind(3, texts.intern(rows.text(2), dictionary))
          .bind(4, texts.intern(rows.text(3), dictionary))
          .run();
    }
  }
  {
    Statement rows(db,
                   "SELECT r.id, r.run_id, r.item_id, r.sample_index, r.text, r.n_tokens, r.finish_reason, d.id "
                   "FROM main.responses r JOIN main.items i ON i.id = r.item_id "
                   "LEFT JOIN dictionaries d ON d.benchmark = i.benchmark AND d.task = i.task ORDER BY r.id");
    Statement insert(db,
                     "INSERT INTO stored_responses(id, run_id, item_id, sample_index, dictionary, body, n_tokens, "
                     "finish_reason) VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
    while (rows.step()) {
      int64_t dictionary = rows.is_null(7) ? 0 : rows.int64(7);
      TextCodec::Encoded e = ws.codec().encode(rows.text(4), dictionary);
      insert.bind(1, rows.int64(0)).bind(2, rows.int64(1)).bind(3, rows.int64(2)).bind(4, rows.int64(3));
      if (e.raw) {
        insert.bind_null(5).bind(6, e.body);
      } else {
        insert.bind(5, dictionary).bind_blob(6, e.body);
      }
      insert.bind(7, rows.opt_int64(5)).bind(8, rows.opt_str(6)).run();
    }
  }
  {
    // Each run's tasks, with the harness metric names in the order first logged.
    db.exec(
        "INSERT INTO run_tasks(run_id, benchmark, task) SELECT DISTINCT ri.run_id, i.benchmark, i.task FROM "
        "main.run_items ri JOIN main.items i ON i.id = ri.item_id");
    Statement names(
        db,
        "SELECT r.run_id, i.benchmark, i.task, m.metric, MIN(m.response_id * 64 + m.position) AS first_seen "
        "FROM main.harness_metrics m JOIN main.responses r ON r.id = m.response_id JOIN main.items i ON "
        "i.id = r.item_id GROUP BY r.run_id, i.benchmark, i.task, m.metric "
        "ORDER BY r.run_id, i.benchmark, i.task, first_seen");
    std::map<std::tuple<int64_t, std::string, std::string>, std::vector<std::string>> per_task;
    while (names.step()) per_task[{names.int64(0), names.str(1), names.str(2)}].push_back(names.str(3));
    Statement put(db, "UPDATE run_tasks SET harness_metrics = ? WHERE run_id = ? AND benchmark = ? AND task = ?");
    for (const auto& [key, list] : per_task) {
      put.bind(1, std::string_view(json_text::encode_string_array(list)))
          .bind(2, std::get<0>(key))
          .bind(3, std::string_view(std::get<1>(key)))
          .bind(4, std::string_view(std::get<2>(key)))
          .run();
    }
  }
  db.exec("DROP TABLE main.responses; DROP TABLE main.run_items; DROP TABLE main.items;");
}

namespace {

EndingKind stored_ending(std::string_view name) {
  for (EndingKind k : {EndingKind::kStopped, EndingKind::kTruncated, EndingKind::kRanOn,
                       EndingKind::kDegenerateRepetition, EndingKind::kNoAnswer}) {
    if (ending_name(k) == name) return k;
  }
  throw Error(ErrorKind::kStore, fmt::format("scores.ending: unknown ending '{}'", name));
}

EndingEvidence stored_evidence(std::string_view name) {
  for (EndingEvidence e : {EndingEvidence::kFinishReason, EndingEvidence::kTokenCount, EndingEvidence::kInferred}) {
    if (evidence_name(e) == name) return e;
  }
  throw Error(ErrorKind::kStore, fmt::format("scores.ending_evidence: unknown evidence '{}'", name));
}

}  // namespace

void pack_score_rows(WorkspaceDb& ws, std::string_view target) {
  Database& db = ws.db();
  Statement rows(db,
                 "SELECT r.run_id, s.rule, i.benchmark, i.task, s.rule_version, s.response_id, r.item_id, "
                 "r.sample_index, s.found, s.answer, s.correct, s.ending, s.ending_evidence, s.ran_on, s.truncated, "
                 "s.repetitive FROM main.scores s JOIN main.stored_responses r ON r.id = s.response_id "
                 "JOIN main.stored_items i ON i.id = r.item_id "
                 "ORDER BY r.run_id, s.rule, i.benchmark, i.task, s.rule_version, r.item_id, r.sample_index");
  Statement insert(db, fmt::format("INSERT INTO {}(run_id, rule, benchmark, task, chunk, rule_version, n_scores, "
                                   "body) VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
                                   target)
                           .c_str());
  int64_t run_id = 0, version = 0, chunk = 0;
  std::string rule, benchmark, task;
  std::vector<SampleScore> samples;
  auto flush = [&] {
    if (samples.empty()) return;
    insert.bind(1, run_id).bind(2, std::string_view(rule)).bind(3, std::string_view(benchmark));
    insert.bind(4, std::string_view(task)).bind(5, chunk).bind(6, version);
    insert.bind(7, static_cast<int64_t>(samples.size())).bind_blob(8, encode_score_set(samples));
    insert.run();
    samples.clear();
  };
  while (rows.step()) {
    const bool same_set = !samples.empty() && rows.int64(0) == run_id && rows.text(1) == rule &&
                          rows.text(2) == benchmark && rows.text(3) == task;
    if (!same_set || rows.int64(4) != version) {
      flush();
      chunk = same_set ? chunk + 1 : 0;  // another version of the same set: its own chunk
      run_id = rows.int64(0);
      rule = rows.str(1);
      benchmark = rows.str(2);
      task = rows.str(3);
      version = rows.int64(4);
    }
    SampleScore& s = samples.emplace_back();
    s.response_id = rows.int64(5);
    s.item_id = rows.int64(6);
    s.sample_index = rows.int64(7);
    s.found = rows.int64(8) != 0;
    s.answer = rows.str(9);
    s.correct = rows.int64(10) != 0;
    s.ending = stored_ending(rows.text(11));
    s.evidence = stored_evidence(rows.text(12));
    s.ran_on = rows.int64(13) != 0;
    s.truncated = rows.int64(14) != 0;
    s.repetitive = rows.int64(15) != 0;
  }
  flush();
}

}  // namespace caploop
