#include "store/response_evidence.h"

#include <algorithm>

#include "store/json_text.h"

namespace caploop {

std::vector<BenchmarkTaskKey> tasks_of_run(WorkspaceDb& ws, int64_t run_id) {
  Statement st(ws.db(), "SELECT benchmark, task FROM run_tasks WHERE run_id = ? ORDER BY benchmark, task");
  st.bind(1, run_id);
  std::vector<BenchmarkTaskKey> out;
  while (st.step()) out.emplace_back(st.str(0), st.str(1));
  return out;
}

std::map<BenchmarkTaskKey, std::vector<std::string>> harness_metric_names_per_task(WorkspaceDb& ws, int64_t run_id) {
  Statement st(ws.db(), "SELECT benchmark, task, harness_metrics FROM run_tasks WHERE run_id = ?");
  st.bind(1, run_id);
  std::map<BenchmarkTaskKey, std::vector<std::string>> out;
  while (st.step()) {
    std::vector<std::string> names = json_text::parse_string_array(st.text(2));
    if (!names.empty()) out[{st.str(0), st.str(1)}] = std::move(names);
  }
  return out;
}

std::unordered_map<int64_t, std::vector<std::pair<std::string, std::string>>> read_filtered_values(WorkspaceDb& ws,
                                                                                                   int64_t run_id,
                                                                                                   int64_t first_id,
                                                                                                   int64_t last_id) {
  Statement st(
      ws.db(),
      "SELECT f.response_id, f.filter, f.value FROM filtered_values f JOIN responses r ON r.id = f.response_id "
      "WHERE r.run_id = ? AND f.response_id BETWEEN ? AND ? ORDER BY f.response_id, f.position");
  st.bind(1, run_id).bind(2, first_id).bind(3, last_id);
  std::unordered_map<int64_t, std::vector<std::pair<std::string, std::string>>> out;
  while (st.step()) out[st.int64(0)].emplace_back(st.str(1), st.str(2));
  return out;
}

}  // namespace caploop

namespace caploop {

std::map<std::pair<int64_t, int64_t>, int64_t> response_ids_of_run(WorkspaceDb& ws, int64_t run_id) {
  Statement st(ws.db(), "SELECT id, item_id, sample_index FROM responses WHERE run_id = ?");
  st.bind(1, run_id);
  std::map<std::pair<int64_t, int64_t>, int64_t> out;
  while (st.step()) out[{st.int64(1), st.int64(2)}] = st.int64(0);
  return out;
}

}  // namespace caploop
