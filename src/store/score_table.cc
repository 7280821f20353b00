#include "store/score_table.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"

namespace caploop {

ScoreWriter::ScoreWriter(WorkspaceDb& ws)
    : ws_(ws.prepare_score_writes()),
      insert_(ws.db(),
              "INSERT OR REPLACE INTO scores(response_id, rule, rule_version, found, answer, correct, ending, "
              "ending_evidence, ran_on, truncated, repetitive) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)") {}

void ScoreWriter::clear(int64_t run_id, std::string_view rule, std::optional<std::string_view> benchmark) {
  if (benchmark) {
    Statement st(ws_.db(),
                 "DELETE FROM scores WHERE rule = ? AND response_id IN (SELECT r.id FROM responses r JOIN items i "
                 "ON i.id = r.item_id WHERE r.run_id = ? AND i.benchmark = ?)");
    st.bind(1, rule).bind(2, run_id).bind(3, *benchmark).run();
  } else {
    Statement st(ws_.db(),
                 "DELETE FROM scores WHERE rule = ? AND response_id IN (SELECT id FROM responses WHERE run_id = ?)");
    st.bind(1, rule).bind(2, run_id).run();
  }
}

void ScoreWriter::put(int64_t response_id, std::string_view rule, int rule_version, const Score& score,
                      const Ending& ending) {
  insert_.bind(1, response_id)
      .bind(2, rule)
      .bind(3, int64_t{rule_version})
      .bind(4, int64_t{score.extraction.found})
      .bind(5, std::string_view(score.extraction.answer))
      .bind(6, int64_t{score.correct})
      .bind(7, ending_name(ending.kind))
      .bind(8, evidence_name(ending.evidence))
      .bind(9, int64_t{ending.ran_on})
      .bind(10, int64_t{ending.truncated})
      .bind(11, int64_t{ending.repetitive});
  insert_.run();
}

SampleScore::SampleScore(int64_t response, int64_t item, int64_t sample, const Score& score, const Ending& e)
    : response_id(response),
      item_id(item),
      sample_index(sample),
      found(score.extraction.found),
      correct(score.correct),
      ran_on(e.ran_on),
      truncated(e.truncated),
      repetitive(e.repetitive),
      ending(e.kind),
      evidence(e.evidence),
      answer(score.extraction.found ? score.extraction.answer : std::string()) {}

namespace {

EndingKind ending_kind_named(std::string_view name) {
  for (EndingKind k : {EndingKind::kStopped, EndingKind::kTruncated, EndingKind::kRanOn,
                       EndingKind::kDegenerateRepetition, EndingKind::kNoAnswer}) {
    if (ending_name(k) == name) return k;
  }
  throw Error(ErrorKind::kStore, fmt::format("scores.ending: unknown ending '{}'", name));
}

EndingEvidence evidence_named(std::string_view name) {
  for (EndingEvidence e : {EndingEvidence::kFinishReason, EndingEvidence::kTokenCount, EndingEvidence::kInferred}) {
    if (evidence_name(e) == name) return e;
  }
  throw Error(ErrorKind::kStore, fmt::format("scores.ending_evidence: unknown evidence '{}'", name));
}

}  // namespace

void order_by_item(std::vector<SampleScore>& samples) {
  std::sort(samples.begin(), samples.end(), [](const SampleScore& a, const SampleScore& b) {
    return a.item_id != b.item_id ? a.item_id < b.item_id : a.sample_index < b.sample_index;
  });
}

TaskSampleScores read_sample_scores(WorkspaceDb& ws, int64_t run_id, std::string_view rule,
                                    std::string_view benchmark) {
  // The run's responses drive (the run_id index), each probing its score by primary key; ordered here.
  Statement st(ws.db(),
               "SELECT r.id, r.item_id, r.sample_index, i.task, s.found, s.correct, s.answer, s.ending, s.ran_on, "
               "s.truncated, s.repetitive, s.ending_evidence FROM stored_responses r CROSS JOIN scores s "
               "ON s.rule = ? AND s.response_id = r.id JOIN stored_items i ON i.id = r.item_id "
               "WHERE r.run_id = ? AND i.benchmark = ?");
  st.bind(1, rule).bind(2, run_id).bind(3, benchmark);
  TaskSampleScores out;
  std::vector<SampleScore>* current = nullptr;
  std::string_view current_task;
  while (st.step()) {
    std::string_view task = st.text(3);
    if (current == nullptr || task != current_task) {
      auto it = out.find(std::string(task));
      if (it == out.end()) it = out.emplace(std::string(task), std::vector<SampleScore>{}).first;
      current = &it->second;
      current_task = it->first;
    }
    SampleScore& s = current->emplace_back();
    s.response_id = st.int64(0);
    s.item_id = st.int64(1);
    s.sample_index = st.int64(2);
    s.found = st.int64(4) != 0;
    s.correct = st.int64(5) != 0;
    if (s.found) s.answer = st.str(6);
    s.ending = ending_kind_named(st.text(7));
    s.ran_on = st.int64(8) != 0;
    s.truncated = st.int64(9) != 0;
    s.repetitive = st.int64(10) != 0;
    s.evidence = evidence_named(st.text(11));
  }
  for (auto& [task, samples] : out) order_by_item(samples);
  return out;
}

void for_each_stored_score(
    WorkspaceDb& ws, int64_t run_id, std::string_view rule, std::string_view benchmark,
    const std::function<void(int64_t item_id, std::string_view task, bool correct, std::string_view ending)>& fn) {
  // The run's responses drive (the run_id index), each probing its score by primary key.
  Statement st(ws.db(),
               "SELECT r.item_id, i.task, s.correct, s.ending FROM responses r CROSS JOIN scores s "
               "ON s.rule = ? AND s.response_id = r.id JOIN items i ON i.id = r.item_id "
               "WHERE r.run_id = ? AND i.benchmark = ?");
  st.bind(1, rule).bind(2, run_id).bind(3, benchmark);
  while (st.step()) fn(st.int64(0), st.text(1), st.int64(2) != 0, st.text(3));
}

namespace {

// The run's response ids when they are one contiguous range holding nothing else (ingest writes a run's responses
// in one transaction, so they are), else nullopt.
std::optional<std::pair<int64_t, int64_t>> contiguous_response_ids(WorkspaceDb& ws, int64_t run_id) {
  Statement st(ws.db(), "SELECT min(id), max(id), count(*) FROM main.stored_responses WHERE run_id = ?");
  st.bind(1, run_id);
  if (!st.step() || st.int64(2) == 0 || st.int64(1) - st.int64(0) + 1 != st.int64(2)) return std::nullopt;
  return std::make_pair(st.int64(0), st.int64(1));
}

// Whether `benchmark` (when given) is the run's only benchmark, so that it restricts nothing.
bool only_benchmark(WorkspaceDb& ws, int64_t run_id, std::optional<std::string_view> benchmark) {
  if (!benchmark) return true;
  Statement st(ws.db(), "SELECT DISTINCT benchmark FROM main.run_tasks WHERE run_id = ? LIMIT 2");
  st.bind(1, run_id);
  int n = 0;
  bool same = true;
  while (st.step()) {
    ++n;
    same = same && st.text(0) == *benchmark;
  }
  return n == 1 && same;
}

}  // namespace

std::optional<int> stored_rule_version(WorkspaceDb& ws, int64_t run_id, std::string_view rule,
                                       std::optional<std::string_view> benchmark) {
  // Fast path: the scores of the run's id range under `rule`, one primary-key range scan without joins.
  std::optional<std::pair<int64_t, int64_t>> ids;
  if (only_benchmark(ws, run_id, benchmark)) ids = contiguous_response_ids(ws, run_id);
  std::string sql;
  if (ids) {
    sql =
        "SELECT min(rule_version), max(rule_version), count(*) FROM scores WHERE rule = ? AND response_id BETWEEN ? "
        "AND ?";
  } else {
    sql =
        "SELECT min(s.rule_version), max(s.rule_version), count(*) FROM scores s JOIN responses r ON r.id = "
        "s.response_id JOIN items i ON i.id = r.item_id WHERE r.run_id = ? AND s.rule = ?";
    if (benchmark) sql += " AND i.benchmark = ?";
  }
  Statement st(ws.db(), sql.c_str());
  if (ids) {
    st.bind(1, rule).bind(2, ids->first).bind(3, ids->second);
  } else {
    st.bind(1, run_id).bind(2, rule);
    if (benchmark) st.bind(3, *benchmark);
  }
  if (!st.step() || st.int64(2) == 0) return std::nullopt;
  if (st.int64(0) != st.int64(1)) return std::nullopt;  // mixed versions: treat as not scored
  return static_cast<int>(st.int64(0));
}

std::vector<std::string> benchmarks_of_run(WorkspaceDb& ws, int64_t run_id) {
  Statement st(ws.db(),
               "SELECT DISTINCT i.benchmark FROM run_items ri JOIN items i ON i.id = ri.item_id WHERE ri.run_id = ? "
               "ORDER BY i.benchmark");
  st.bind(1, run_id);
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.str(0));
  return out;
}

}  // namespace caploop
