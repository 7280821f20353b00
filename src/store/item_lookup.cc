#include "store/item_lookup.h"

#include "store/score_table.h"

namespace caploop {

std::vector<ItemRow> find_items(WorkspaceDb& ws, const std::string& source_id, const std::optional<std::string>& task,
                                const std::optional<std::string>& benchmark) {
  std::string sql =
      "SELECT id, benchmark, task, source_id, question, metadata_json, content_hash FROM items WHERE source_id = ?";
  if (task) sql += " AND task = ?";
  if (benchmark) sql += " AND benchmark = ?";
  sql += " ORDER BY benchmark, task";
  Statement st(ws.db(), sql.c_str());
  int i = 1;
  st.bind(i++, std::string_view(source_id));
  if (task) st.bind(i++, std::string_view(*task));
  if (benchmark) st.bind(i++, std::string_view(*benchmark));
  std::vector<ItemRow> out;
  while (st.step()) {
    out.push_back({st.int64(0), st.str(1), st.str(2), st.str(3), st.str(4), st.str(5), st.str(6)});
  }
  return out;
}

std::vector<RunOfItem> responses_for_item(WorkspaceDb& ws, int64_t item_id, const std::string& rule) {
  Statement runs(ws.db(),
                 "SELECT r.id, r.name, ri.prompt, ri.reference FROM run_items ri JOIN runs r ON r.id = ri.run_id "
                 "WHERE ri.item_id = ? ORDER BY r.name");
  Statement resp(ws.db(),
                 "SELECT rs.id, rs.sample_index, rs.text, rs.n_tokens, rs.finish_reason FROM responses rs "
                 "WHERE rs.run_id = ? AND rs.item_id = ? ORDER BY rs.sample_index");
  Statement task_of(ws.db(), "SELECT benchmark, task FROM main.stored_items WHERE id = ?");
  task_of.bind(1, item_id);
  std::string benchmark, task;
  if (task_of.step()) {
    benchmark = task_of.str(0);
    task = task_of.str(1);
  }
  Statement filt(ws.db(), "SELECT filter, value FROM filtered_values WHERE response_id = ? ORDER BY position");
  std::vector<RunOfItem> out;
  runs.bind(1, item_id);
  while (runs.step()) {
    RunOfItem r{runs.str(1), runs.str(2), runs.str(3), {}};
    StoredScores scores = read_stored_scores(ws, runs.int64(0), rule, benchmark, task);
    resp.bind(1, runs.int64(0)).bind(2, item_id);
    while (resp.step()) {
      StoredResponse sr;
      sr.sample_index = resp.int64(1);
      sr.text = resp.str(2);
      sr.n_tokens = resp.opt_int64(3);
      sr.finish_reason = resp.opt_str(4);
      if (auto score = scores.by_response.find(resp.int64(0)); score != scores.by_response.end()) {
        sr.answer = score->second.score.answer;
        sr.correct = score->second.score.correct;
        sr.ending = std::string(ending_name(score->second.score.ending));
      }
      filt.bind(1, resp.int64(0));
      while (filt.step()) sr.filtered.emplace_back(filt.str(0), filt.str(1));
      filt.reset();
      r.responses.push_back(std::move(sr));
    }
    resp.reset();
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace caploop
