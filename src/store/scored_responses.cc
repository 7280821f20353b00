#include "store/scored_responses.h"

#include "store/score_table.h"

namespace caploop {

std::vector<ScoredResponse> read_scored_responses(WorkspaceDb& ws, int64_t run_id, std::string_view benchmark,
                                                  std::string_view rule) {
  Statement st(ws.db(),
               "SELECT r.id, i.benchmark, i.task, i.source_id, r.sample_index, ri.reference, r.finish_reason, "
               "r.n_tokens FROM responses r JOIN items i ON i.id = r.item_id "
               "JOIN run_items ri ON ri.run_id = r.run_id AND ri.item_id = r.item_id "
               "WHERE r.run_id = ? AND i.benchmark = ? ORDER BY i.task, i.id, r.sample_index, r.id");
  st.bind(1, run_id).bind(2, benchmark);
  StoredScores scores = read_stored_scores(ws, run_id, rule, benchmark);
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
    auto score = scores.by_response.find(row.response_id);
    row.scored = score != scores.by_response.end();
    if (row.scored) {
      const SampleScore& s = score->second.score;
      row.rule_version = score->second.rule_version;
      row.found = s.found;
      row.answer = s.answer;
      row.correct = s.correct;
      row.ending = ending_name(s.ending);
    }
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace caploop
