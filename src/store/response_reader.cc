#include "store/response_reader.h"

namespace caploop {

ResponseReader::ResponseReader(WorkspaceDb& ws, int64_t run_id, size_t batch_size)
    : st_(ws.db(),
          "SELECT r.id, r.item_id, i.benchmark, i.task, i.source_id, r.sample_index, r.text, ri.reference, "
          "r.n_tokens, r.finish_reason FROM responses r JOIN items i ON i.id = r.item_id "
          "JOIN run_items ri ON ri.run_id = r.run_id AND ri.item_id = r.item_id "
          "WHERE +r.run_id = ? AND r.id > ? ORDER BY r.id LIMIT ?"),
      run_id_(run_id),
      batch_size_(batch_size) {}

bool ResponseReader::next_batch(std::vector<ResponseRow>& out) {
  out.clear();
  st_.bind(1, run_id_).bind(2, last_id_).bind(3, static_cast<int64_t>(batch_size_));
  while (st_.step()) {
    ResponseRow row;
    row.response_id = st_.int64(0);
    row.item_id = st_.int64(1);
    row.benchmark = st_.str(2);
    row.task = st_.str(3);
    row.source_id = st_.str(4);
    row.sample_index = st_.int64(5);
    row.text = st_.str(6);
    row.reference = st_.str(7);
    row.n_tokens = st_.opt_int64(8);
    row.finish_reason = st_.opt_str(9);
    out.push_back(std::move(row));
  }
  st_.reset();
  if (!out.empty()) last_id_ = out.back().response_id;
  return !out.empty();
}

std::map<std::pair<std::string, std::string>, int64_t> longest_response_per_task(WorkspaceDb& ws, int64_t run_id) {
  Statement st(ws.db(),
               "SELECT i.benchmark, i.task, max(r.n_bytes) FROM responses r JOIN items i ON i.id = r.item_id "
               "WHERE r.run_id = ? GROUP BY i.benchmark, i.task");
  st.bind(1, run_id);
  std::map<std::pair<std::string, std::string>, int64_t> out;
  while (st.step()) out[{st.str(0), st.str(1)}] = st.int64(2);
  return out;
}

}  // namespace caploop
