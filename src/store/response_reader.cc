#include "store/response_reader.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "core/parallel_for.h"

namespace caploop {

ResponseReader::ResponseReader(WorkspaceDb& ws, int64_t run_id, size_t batch_size, unsigned threads)
    : st_(ws.db(),
          "SELECT r.id, r.item_id, i.benchmark, i.task, i.source_id, r.sample_index, r.dictionary, r.body, "
          "ri.reference_text, r.n_tokens, r.finish_reason FROM main.stored_responses r "
          "JOIN main.stored_items i ON i.id = r.item_id "
          "JOIN main.stored_run_items ri ON ri.run_id = r.run_id AND ri.item_id = r.item_id "
          "WHERE +r.run_id = ? AND r.id > ? ORDER BY r.id LIMIT ?"),
      reference_(ws.db(), "SELECT caploop_text(dictionary, body) FROM main.texts WHERE id = ?"),
      run_id_(run_id),
      batch_size_(batch_size),
      codecs_(ws, threads) {}

ResponseReader::~ResponseReader() = default;

const std::string& ResponseReader::reference(int64_t text_id) {
  auto it = references_.find(text_id);
  if (it != references_.end()) return it->second;
  if (references_.size() >= 100000) references_.clear();  // runs of distinct references: bounded memory
  reference_.bind(1, text_id);
  std::string text = reference_.step() ? reference_.str(0) : std::string();
  reference_.reset();
  return references_.emplace(text_id, std::move(text)).first->second;
}

bool ResponseReader::next_batch(std::vector<ResponseRow>& out, bool decode_texts) {
  out.clear();
  st_.bind(1, run_id_).bind(2, last_id_).bind(3, static_cast<int64_t>(batch_size_));
  std::string benchmark, task;  // consecutive rows mostly share them: compared, not re-read
  while (st_.step()) {
    ResponseRow row;
    row.response_id = st_.int64(0);
    row.item_id = st_.int64(1);
    if (st_.text(2) != benchmark) benchmark = st_.text(2);
    if (st_.text(3) != task) task = st_.text(3);
    row.benchmark = benchmark;
    row.task = task;
    row.source_id = st_.str(4);
    row.sample_index = st_.int64(5);
    row.dictionary = st_.opt_int64(6).value_or(0);
    row.compressed = st_.is_blob(7);
    row.text = row.compressed ? std::string(st_.blob(7)) : st_.str(7);
    row.reference = reference(st_.int64(8));
    row.n_tokens = st_.opt_int64(9);
    row.finish_reason = st_.opt_str(10);
    out.push_back(std::move(row));
  }
  st_.reset();
  if (out.empty()) return false;
  last_id_ = out.back().response_id;
  if (decode_texts) {
    load_dictionaries(out);
    const size_t n = out.size();
    const unsigned t = static_cast<unsigned>(std::min<size_t>(codecs_.size(), std::max<size_t>(1, n / 256)));
    const size_t chunk = (n + t - 1) / t;
    parallel_for(t, t, [&](size_t k) { decode(out, std::min(n, k * chunk), std::min(n, (k + 1) * chunk), k); });
  }
  return true;
}

void ResponseReader::load_dictionaries(const std::vector<ResponseRow>& rows) {
  for (const ResponseRow& r : rows) {
    if (r.compressed) codecs_.load(r.dictionary);
  }
}

void ResponseReader::decode(std::vector<ResponseRow>& rows, size_t begin, size_t end, unsigned worker) {
  for (size_t i = begin; i < end; ++i) {
    if (!rows[i].compressed) continue;
    rows[i].text = codecs_.decode(rows[i].text, rows[i].dictionary, worker);
    rows[i].compressed = false;
  }
}

std::map<std::pair<std::string, std::string>, int64_t> longest_response_per_task(WorkspaceDb& ws, int64_t run_id) {
  // One pass in the order of the run's responses, aggregated here: items come grouped by task, so the last key
  // is nearly always the row's (SQLite's GROUP BY would sort every row by the two texts first).
  Statement st(ws.db(),
               "SELECT i.benchmark, i.task, caploop_text_size(r.body) FROM main.stored_responses r "
               "JOIN main.stored_items i ON i.id = r.item_id WHERE r.run_id = ?");
  st.bind(1, run_id);
  std::map<std::pair<std::string, std::string>, int64_t> out;
  std::pair<std::string, std::string> last;
  int64_t* longest = nullptr;
  while (st.step()) {
    const std::string_view benchmark = st.text(0), task = st.text(1);
    if (longest == nullptr || last.first != benchmark || last.second != task) {
      last = {std::string(benchmark), std::string(task)};
      longest = &out.try_emplace(last, 0).first->second;
    }
    *longest = std::max(*longest, st.int64(2));
  }
  return out;
}

}  // namespace caploop
