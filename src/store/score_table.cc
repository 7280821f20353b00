#include "store/score_table.h"

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

std::vector<ScoredSample> read_scored_samples(WorkspaceDb& ws, int64_t run_id, std::string_view rule,
                                              std::optional<std::string_view> benchmark) {
  std::string sql =
      "SELECT i.id, i.benchmark, i.task, i.source_id, r.sample_index, s.found, s.correct, s.answer, s.ending, "
      "s.ran_on, s.truncated, s.repetitive, s.ending_evidence FROM scores s JOIN responses r ON r.id = s.response_id "
      "JOIN items i ON i.id = r.item_id WHERE r.run_id = ? AND s.rule = ?";
  if (benchmark) sql += " AND i.benchmark = ?";
  sql += " ORDER BY i.benchmark, i.task, i.id, r.sample_index";
  Statement st(ws.db(), sql.c_str());
  st.bind(1, run_id).bind(2, rule);
  if (benchmark) st.bind(3, *benchmark);
  std::vector<ScoredSample> out;
  while (st.step()) {
    ScoredSample s;
    s.item_id = st.int64(0);
    s.benchmark = st.str(1);
    s.task = st.str(2);
    s.source_id = st.str(3);
    s.sample_index = st.int64(4);
    s.found = st.int64(5) != 0;
    s.correct = st.int64(6) != 0;
    s.answer = st.str(7);
    s.ending = st.str(8);
    s.ran_on = st.int64(9) != 0;
    s.truncated = st.int64(10) != 0;
    s.repetitive = st.int64(11) != 0;
    s.evidence = st.str(12);
    out.push_back(std::move(s));
  }
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

std::optional<int> stored_rule_version(WorkspaceDb& ws, int64_t run_id, std::string_view rule,
                                       std::optional<std::string_view> benchmark) {
  std::string sql =
      "SELECT min(s.rule_version), max(s.rule_version), count(*) FROM scores s JOIN responses r ON r.id = "
      "s.response_id "
      "JOIN items i ON i.id = r.item_id WHERE r.run_id = ? AND s.rule = ?";
  if (benchmark) sql += " AND i.benchmark = ?";
  Statement st(ws.db(), sql.c_str());
  st.bind(1, run_id).bind(2, rule);
  if (benchmark) st.bind(3, *benchmark);
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
