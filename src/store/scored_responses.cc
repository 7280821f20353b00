#include "store/scored_responses.h"

namespace caploop {

std::vector<ScoredResponse> read_scored_responses(WorkspaceDb& ws, int64_t run_id, std::string_view benchmark,
                                                  std::string_view rule) {
  Statement st(ws.db(),
               "SELECT r.id, i.benchmark, i.task, i.source_id, r.sample_index, ri.reference, r.finish_reason, "
               "r.n_tokens, s.rule_version, s.found, s.answer, s.correct, s.ending "
               "FROM responses r JOIN items i ON i.id = r.item_id "
               "JOIN run_items ri ON ri.run_id = r.run_id AND ri.item_id = r.item_id "
               "LEFT JOIN scores s ON s.response_id = r.id AND s.rule = ? "
               "WHERE r.run_id = ? AND i.benchmark = ? ORDER BY i.task, i.id, r.sample_index, r.id");
  st.bind(1, rule).bind(2, run_id).bind(3, benchmark);
  std::vector<ScoredResponse> out;
  while (st.step()) {
    ScoredResponse row;
    row.response_id = st.int64(0);
    row.benchmark = st.str(1);
    row.task = st.str(2);
    row.source_id = st.str(3);
    row.sample_index = st.int64(4);
    row.reference = st.str(5);
    if (!st.is_null(6)) row.finish_reason = st.str(6);
    row.n_tokens = st.opt_int64(7);
    row.scored = !st.is_null(8);
    if (row.scored) {
      row.rule_version = static_cast<int>(st.int64(8));
      row.found = st.int64(9) != 0;
      row.answer = st.str(10);
      row.correct = st.int64(11) != 0;
      row.ending = st.str(12);
    }
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace caploop
