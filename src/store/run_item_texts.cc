#include "store/run_item_texts.h"

namespace caploop {

std::vector<ItemTextIds> items_of_runs(WorkspaceDb& ws, const std::vector<int64_t>& run_ids) {
  std::string in;
  for (int64_t id : run_ids) in += (in.empty() ? "" : ",") + std::to_string(id);
  if (in.empty()) return {};
  std::string sql =
      "SELECT i.id, i.benchmark, i.task, i.source_id, i.question_text, i.metadata_text, "
      "(SELECT ri.reference_text FROM stored_run_items ri WHERE ri.item_id = i.id AND ri.run_id IN (" +
      in +
      ") ORDER BY ri.run_id LIMIT 1) FROM stored_items i WHERE i.id IN (SELECT item_id FROM stored_run_items WHERE "
      "run_id IN (" +
      in + ")) ORDER BY i.id";
  Statement st(ws.db(), sql.c_str());
  std::vector<ItemTextIds> out;
  while (st.step()) {
    out.push_back({st.int64(0), st.str(1), st.str(2), st.str(3), st.int64(4), st.int64(5), st.int64(6)});
  }
  return out;
}

namespace {

std::string responses_of_benchmark_sql(bool with_scores) {
  std::string sql = "SELECT r.item_id, r.sample_index, i.task, ri.prompt_text, ri.reference_text, r.text";
  sql += with_scores ? ", s.correct, s.ending" : ", NULL, NULL";
  sql +=
      " FROM responses r JOIN stored_items i ON i.id = r.item_id "
      "JOIN stored_run_items ri ON ri.run_id = r.run_id AND ri.item_id = r.item_id ";
  if (with_scores) sql += "LEFT JOIN scores s ON s.rule = ?3 AND s.response_id = r.id ";
  sql += "WHERE r.run_id = ?1 AND i.benchmark = ?2";
  return sql;
}

}  // namespace

ResponsesOfBenchmark::ResponsesOfBenchmark(WorkspaceDb& ws, int64_t run_id, std::string_view benchmark,
                                           std::string_view stored_rule)
    : st_(ws.db(), responses_of_benchmark_sql(!stored_rule.empty()).c_str()), with_scores_(!stored_rule.empty()) {
  st_.bind(1, run_id).bind(2, benchmark);
  if (with_scores_) st_.bind(3, stored_rule);
}

size_t ResponsesOfBenchmark::next_batch(std::vector<ResponseOfBenchmark>& out, size_t max_rows) {
  if (out.size() < max_rows) out.resize(max_rows);
  size_t n = 0;
  while (n < max_rows && !done_) {
    if (!st_.step()) {
      done_ = true;
      break;
    }
    ResponseOfBenchmark& row = out[n++];
    row.item_id = st_.int64(0);
    row.sample_index = st_.int64(1);
    row.task.assign(st_.text(2));
    row.prompt_text = st_.int64(3);
    row.reference_text = st_.int64(4);
    row.text.assign(st_.text(5));
    row.scored = with_scores_ && !st_.is_null(6);
    row.correct = row.scored && st_.int64(6) != 0;
    row.ending.assign(row.scored ? st_.text(7) : std::string_view());
  }
  return n;
}

}  // namespace caploop
