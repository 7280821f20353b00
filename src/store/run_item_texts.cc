#include "store/run_item_texts.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"

namespace caploop {

std::vector<ItemTextIds> items_of_runs(WorkspaceDb& ws, const std::vector<int64_t>& run_ids) {
  // Each item of the runs with the reference of the lowest run id that has it: every run's items in primary-key
  // order, merged here (a correlated subquery per item cost a third of a second on 200,000 items).
  std::vector<int64_t> runs = run_ids;
  std::sort(runs.begin(), runs.end());
  runs.erase(std::unique(runs.begin(), runs.end()), runs.end());
  std::vector<std::pair<int64_t, int64_t>> references;  // (item id, reference text id)
  {
    Statement st(ws.db(), "SELECT item_id, reference_text FROM main.stored_run_items WHERE run_id = ?");
    for (int64_t run : runs) {
      st.bind(1, run);
      while (st.step()) references.emplace_back(st.int64(0), st.int64(1));
      st.reset();
    }
  }
  // stable: among rows of one item, the lowest run's (read first) stays first
  std::stable_sort(references.begin(), references.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  references.erase(std::unique(references.begin(), references.end(),
                               [](const auto& x, const auto& y) { return x.first == y.first; }),
                   references.end());
  std::vector<ItemTextIds> out;
  if (references.empty()) return out;
  out.reserve(references.size());
  auto add = [&](Statement& st, int64_t reference) {
    out.push_back({st.int64(0), st.str(1), st.str(2), st.str(3), st.int64(4), st.int64(5), reference});
  };
  const char* columns = "SELECT id, benchmark, task, source_id, question_text, metadata_text FROM main.stored_items ";
  const int64_t first = references.front().first, last = references.back().first;
  if (static_cast<int64_t>(references.size()) * 4 >= last - first + 1) {
    // dense in their id range: one scan of it, keeping the runs' items
    Statement st(ws.db(), (std::string(columns) + "WHERE id BETWEEN ? AND ? ORDER BY id").c_str());
    st.bind(1, first).bind(2, last);
    size_t next = 0;
    while (st.step() && next < references.size()) {
      int64_t id = st.int64(0);
      while (next < references.size() && references[next].first < id) ++next;  // (an item row that vanished)
      if (next < references.size() && references[next].first == id) add(st, references[next++].second);
    }
  } else {
    Statement st(ws.db(), (std::string(columns) + "WHERE id = ?").c_str());
    for (const auto& [item, reference] : references) {
      st.bind(1, item);
      if (st.step()) add(st, reference);
      st.reset();
    }
  }
  return out;
}

namespace {

std::string responses_of_benchmark_sql() {
  return "SELECT r.item_id, r.sample_index, ri.prompt_text, ri.reference_text, r.dictionary, r.body, i.task, r.id "
         "FROM main.stored_responses r JOIN main.stored_items i ON i.id = r.item_id "
         "JOIN main.stored_run_items ri ON ri.run_id = r.run_id AND ri.item_id = r.item_id "
         "WHERE r.run_id = ?1 AND i.benchmark = ?2";
}

}  // namespace

ResponsesOfBenchmark::ResponsesOfBenchmark(WorkspaceDb& ws, int64_t run_id, std::string_view benchmark,
                                           std::string_view stored_rule, unsigned threads)
    : st_(ws.db(), responses_of_benchmark_sql().c_str()), with_scores_(!stored_rule.empty()), codecs_(ws, threads) {
  st_.bind(1, run_id).bind(2, benchmark);
  if (!with_scores_) return;
  for_each_score_set(
      ws, run_id, stored_rule, benchmark, std::nullopt, [&](std::string_view, int, std::vector<SampleScore>& samples) {
        for (const SampleScore& s : samples) {
          scores_.emplace_back(s.response_id, static_cast<uint8_t>(s.correct | (static_cast<uint8_t>(s.ending) << 1)));
        }
      });
  std::sort(scores_.begin(), scores_.end());
}

ResponsesOfBenchmark::~ResponsesOfBenchmark() = default;

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
    row.prompt_text = st_.int64(2);
    row.reference_text = st_.int64(3);
    row.dictionary = st_.is_null(4) ? 0 : st_.int64(4);
    row.raw = !st_.is_blob(5);
    row.text.assign(row.raw ? st_.text(5) : st_.blob(5));
    row.task.assign(st_.text(6));
    const int64_t id = st_.int64(7);
    auto score = std::lower_bound(scores_.begin(), scores_.end(), std::pair<int64_t, uint8_t>(id, 0));
    row.scored = score != scores_.end() && score->first == id;
    row.correct = row.scored && (score->second & 1) != 0;
    row.ending = row.scored ? static_cast<EndingKind>(score->second >> 1) : EndingKind::kStopped;
  }
  return n;
}

void ResponsesOfBenchmark::load_dictionaries(const std::vector<ResponseOfBenchmark>& rows, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (!rows[i].raw) codecs_.load(rows[i].dictionary);
  }
}

void ResponsesOfBenchmark::decode(ResponseOfBenchmark& row, unsigned k) {
  if (row.raw) return;
  row.text = codecs_.decode(row.text, row.dictionary, k);
  row.raw = true;
}

}  // namespace caploop
