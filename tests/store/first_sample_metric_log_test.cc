// The first samples' harness metrics as the RunWriter logged them give what reading them back gives
// (choose_metric_values against read_chosen_harness_metrics), for any list of metrics: in logged order, only the
// first samples, NaN where the harness logged none.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "store/harness_metrics.h"
#include "store/run_writer.h"
#include "store/sqlite.h"
#include "store/workspace_db.h"
#include "test_support.h"

namespace caploop {
namespace {

using testing::TempDir;

std::map<int64_t, std::string> describe(const ChosenMetricValues& values) {
  std::map<int64_t, std::string> out;
  for (const auto& [id, list] : values) {
    for (const auto& [index, value] : list) {
      out[id] += std::to_string(index) + "=" + (std::isnan(value) ? std::string("nan") : std::to_string(value)) + ";";
    }
  }
  return out;
}

TEST(FirstSampleMetricLogTest, TheLogGivesWhatReadingBackGives) {
  TempDir tmp;
  WorkspaceDb ws((tmp / "w.db").string(), WorkspaceAccess::kCreate);
  Transaction tx(ws.db());
  RunWriter writer(ws, false);
  writer.keep_written_responses();
  RunInfo info;
  info.name = "r";
  writer.begin_run(info);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (int i = 0; i < 40; ++i) {
    ItemRecord item;
    item.benchmark = "b";
    item.task = i < 20 ? "t1" : "t2";
    item.source_id = std::to_string(i);
    item.prompt = "p" + std::to_string(i);
    item.reference = "r";
    std::vector<ResponseRecord> responses(i % 3 == 0 ? 2 : 1);  // some items with a second sample
    for (size_t s = 0; s < responses.size(); ++s) {
      ResponseRecord& r = responses[s];
      r.sample_index = static_cast<int64_t>(s);
      r.text = "x";
      if (i % 5 == 4) continue;  // no metrics logged
      // Metric order varies by item; one logs NaN.
      if (i % 2 == 0) r.harness_metrics.emplace_back("exact_match,strict-match", i % 7 == 0 ? nan : 1.0);
      r.harness_metrics.emplace_back("exact_match,flexible-extract", 0.5 * static_cast<double>(s + (i % 2)));
      if (i % 2 == 1) r.harness_metrics.emplace_back("exact_match,strict-match", 0.0);
    }
    writer.add_item(item, std::move(responses));
  }
  tx.commit();
  const FirstSampleMetricLog& log = writer.written_first_sample_metrics();
  EXPECT_FALSE(log.values.empty());
  for (const std::vector<std::string>& metrics :
       {std::vector<std::string>{"exact_match,strict-match"}, std::vector<std::string>{"exact_match,flexible-extract"},
        std::vector<std::string>{"exact_match,flexible-extract", "exact_match,strict-match"},
        std::vector<std::string>{"acc,none"}, std::vector<std::string>{}}) {
    ChosenMetricValues read = read_chosen_harness_metrics(ws, writer.run_id(), metrics, 0);
    EXPECT_EQ(describe(choose_metric_values(log, metrics)), describe(read)) << metrics.size();
  }
  EXPECT_EQ(read_chosen_harness_metrics(ws, writer.run_id(), {"exact_match,strict-match"}, 0).size(), 32u);
}

}  // namespace
}  // namespace caploop
