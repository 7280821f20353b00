#include "store/run_item_texts.h"

namespace caploop {

std::vector<std::pair<int64_t, int64_t>> prompt_text_ids(WorkspaceDb& ws, int64_t run_id) {
  Statement st(ws.db(), "SELECT item_id, prompt_text FROM stored_run_items WHERE run_id = ? ORDER BY item_id");
  st.bind(1, run_id);
  std::vector<std::pair<int64_t, int64_t>> out;
  while (st.step()) out.emplace_back(st.int64(0), st.int64(1));
  return out;
}

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

void for_each_response_with_prompt(WorkspaceDb& ws, int64_t run_id,
                                   const std::function<void(const ResponseWithPrompt&)>& fn) {
  Statement st(ws.db(),
               "SELECT r.item_id, i.benchmark, i.task, ri.prompt_text, ri.reference, r.text FROM responses r "
               "JOIN run_items ri ON ri.run_id = r.run_id AND ri.item_id = r.item_id "
               "JOIN items i ON i.id = r.item_id WHERE r.run_id = ? ORDER BY r.item_id, r.sample_index");
  st.bind(1, run_id);
  while (st.step()) {
    ResponseWithPrompt row;
    row.item_id = st.int64(0);
    row.benchmark = st.text(1);
    row.task = st.text(2);
    row.prompt_text = st.int64(3);
    row.reference = st.text(4);
    row.text = st.text(5);
    fn(row);
  }
}

}  // namespace caploop
