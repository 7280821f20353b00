#include "store/harness_metrics.h"

#include <algorithm>
#include <limits>
#include <optional>

namespace caploop {

namespace {
double value_or_nan(Statement& st, int col) {
  auto v = st.opt_real(col);
  return v ? *v : std::numeric_limits<double>::quiet_NaN();
}
}  // namespace

std::unordered_map<int64_t, HarnessMetricValues> read_harness_metrics(WorkspaceDb& ws, int64_t run_id) {
  Statement st(
      ws.db(),
      "SELECT m.response_id, m.metric, m.value FROM harness_metrics m JOIN responses r ON r.id = m.response_id "
      "WHERE r.run_id = ? ORDER BY m.response_id, m.position");
  st.bind(1, run_id);
  std::unordered_map<int64_t, HarnessMetricValues> out;
  while (st.step()) out[st.int64(0)].emplace_back(st.str(1), value_or_nan(st, 2));
  return out;
}

ChosenMetricValues read_chosen_harness_metrics(WorkspaceDb& ws, int64_t run_id, const std::vector<std::string>& metrics,
                                               int64_t sample_index) {
  ChosenMetricValues out;
  if (metrics.empty()) return out;
  // No ORDER BY: SQLite would sort every row first. Each response's rows come together (one primary-key probe
  // per response); they are put in position order here.
  Statement st(
      ws.db(),
      "SELECT m.response_id, m.position, m.metric, m.value FROM main.stored_responses r JOIN harness_metrics m "
      "ON m.response_id = r.id WHERE r.run_id = ? AND r.sample_index = ?");
  st.bind(1, run_id).bind(2, sample_index);
  struct Row {
    int64_t position;
    size_t metric;
    double value;
  };
  std::vector<Row> rows;  // of the current response
  int64_t current = 0;
  const auto flush = [&] {
    if (rows.empty()) return;
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.position < b.position; });
    auto& values = out[current];
    for (const Row& r : rows) values.emplace_back(r.metric, r.value);
    rows.clear();
  };
  while (st.step()) {
    const int64_t response = st.int64(0);
    if (response != current) {
      flush();
      current = response;
    }
    auto it = std::find(metrics.begin(), metrics.end(), st.text(2));
    if (it == metrics.end()) continue;
    rows.push_back(Row{st.int64(1), static_cast<size_t>(it - metrics.begin()), value_or_nan(st, 3)});
  }
  flush();
  return out;
}

ChosenMetricValues choose_metric_values(const FirstSampleMetricLog& log, const std::vector<std::string>& metrics) {
  ChosenMetricValues out;
  if (metrics.empty()) return out;
  std::vector<std::optional<size_t>> chosen(log.names.size());  // by log name: its index in `metrics`
  for (size_t n = 0; n < log.names.size(); ++n) {
    auto it = std::find(metrics.begin(), metrics.end(), log.names[n]);
    if (it != metrics.end()) chosen[n] = static_cast<size_t>(it - metrics.begin());
  }
  for (const FirstSampleMetricLog::Value& v : log.values) {
    if (chosen[v.metric]) out[v.response_id].emplace_back(*chosen[v.metric], v.value);
  }
  return out;
}

std::vector<HarnessAggregate> read_harness_aggregates(WorkspaceDb& ws, int64_t run_id) {
  Statement st(ws.db(),
               "SELECT benchmark, task, metric, value, stderr FROM harness_aggregates WHERE run_id = ? "
               "ORDER BY benchmark, task, metric");
  st.bind(1, run_id);
  std::vector<HarnessAggregate> out;
  while (st.step()) {
    HarnessAggregate a;
    a.benchmark = st.str(0);
    a.task = st.str(1);
    a.metric = st.str(2);
    a.value = value_or_nan(st, 3);
    a.stderr_value = st.opt_real(4);
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace caploop
