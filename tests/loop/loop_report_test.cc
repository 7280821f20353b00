// The loop report as a person sees it: hostile model and data text (run names, slice tags, notes, reasons with
// "<script>") is escaped, the chain slice -> rule -> stream -> tokens is there with its bar chart, and headless
// Chromium (installed by .ci/run) renders it with no script and no console error.
#include "loop/loop_report.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "test_support.h"

namespace caploop {
namespace {
namespace fs = std::filesystem;
using testing::read_file;
using testing::TempDir;
using testing::write_file;

const char* kChromium = "/usr/bin/chromium";
const std::string kHostile = "<script>alert('x')</script>";

int count(const std::string& s, const std::string& needle) {
  int n = 0;
  for (size_t p = s.find(needle); p != std::string::npos; p = s.find(needle, p + 1)) ++n;
  return n;
}

// A data_ruled_in comparison with a plan, a sample and a verification, and a data_ruled_out one; hostile text
// wherever a model or a data file can put text.
LoopOutcome hostile_outcome() {
  LoopOutcome o;
  o.out = "out";
  LoopComparisonOutcome in;
  in.comparison = {"weak", "base " + kHostile, "cand", std::string("after"), 1, std::nullopt};
  in.diagnosis.verdict = Verdict::kDataRuledIn;
  in.diagnosis.reason = "slice regressed " + kHostile;
  in.diagnosis.evidence.overall.n = 100;
  in.diagnosis.evidence.overall.base_accuracy = 0.9;
  in.diagnosis.evidence.overall.cand_accuracy = 0.8;
  in.diagnosis.evidence.overall.delta = -0.1;
  DiagnosisSlice slice;
  slice.tags = {"operation=counting.case_enumeration", "background=" + kHostile};
  slice.n = 12;
  slice.delta = -0.5;
  in.diagnosis.slices.push_back(slice);
  MixturePlan plan;
  plan.options.budget_tokens = 1000;
  plan.corpus.tokens = 10000;
  plan.slices.push_back(
      PlanSlice{"S1", slice.tags, 12, 0.5, 0.4, 0.001, SliceStatus::kMapped, {"counting-cases"}, {"math:1"}});
  PlanStream base;
  base.name = "base:source__web";
  base.kind = StreamKind::kBase;
  base.available_tokens = 9000;
  base.quota_tokens = 700;
  base.share = 0.7;
  PlanStream target;
  target.name = "target:math_subfield__counting_probability";
  target.kind = StreamKind::kTarget;
  target.available_tokens = 1000;
  target.quota_tokens = 300;
  target.share = 0.3;
  target.links.push_back(PlanLink{"S1", "counting-cases", "operation=counting.case_enumeration", 1.0, 6.0});
  plan.streams = {base, target};
  plan.notes = {"note " + kHostile};
  PlanHypothesis h;
  h.id = "H1";
  h.kind = "target";
  h.description = "improves " + kHostile;
  h.n = 12;
  h.min_effect = 0.2;
  plan.hypotheses.push_back(h);
  in.plan = plan;
  in.mapping_gaps = {"unmapped " + kHostile};
  sampling::SampleComposition sample;
  sample.complete = true;
  sample.drawn_tokens = 1000;
  sample.streams.push_back(sampling::StreamComposition{"base:source__web", StreamKind::kBase, 9000, 700, 0, 700, 702, 3,
                                                       3, 0.08, 0.7, 0.003});
  in.sample = sample;
  Verification v;
  v.overall.result = VerifyResult::kConfirmed;
  v.overall.reason = "all confirmed " + kHostile;
  HypothesisVerification hv;
  hv.id = "H1";
  hv.decision.result = VerifyResult::kConfirmed;
  hv.decision.reason = "significant " + kHostile;
  hv.change.delta = 0.4;
  v.hypotheses.push_back(hv);
  in.verification = v;
  o.comparisons.push_back(in);

  LoopComparisonOutcome out;
  out.comparison = {"runaway", "a", "b " + kHostile, std::nullopt, 2, std::nullopt};
  out.diagnosis.verdict = Verdict::kDataRuledOut;
  out.diagnosis.cause = Cause::kTermination;
  out.diagnosis.places_to_look = {"stop sequences " + kHostile};
  out.diagnosis.evidence.baseline_endings = {{"stopped", 90}, {"ran_on", 10}};
  out.diagnosis.evidence.candidate_endings = {{"stopped", 20}, {"ran_on", 80}};
  o.comparisons.push_back(out);
  return o;
}

TEST(LoopReportTest, EscapesEveryTextAndShowsTheChain) {
  LoopConfig config;
  config.file = "loop " + kHostile + ".toml";
  const std::string html = build_loop_report(config, hostile_outcome());
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_GE(count(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), 10);
  EXPECT_NE(html.find("counting-cases"), std::string::npos);
  EXPECT_NE(html.find("target:math_subfield__counting_probability"), std::string::npos);
  EXPECT_NE(html.find("30.0%"), std::string::npos) << "quota share of the target stream";
  EXPECT_NE(html.find("10.0%"), std::string::npos) << "natural share of the target stream";
  // The stream chart, and the endings chart of each of the two comparisons.
  EXPECT_EQ(count(html, "<svg"), 3);
  EXPECT_EQ(count(html, "<svg class=\"bars\""), 2);
  EXPECT_NE(html.find("data_ruled_out (cause: termination)"), std::string::npos);
  EXPECT_NE(html.find("ran on: 80.0%"), std::string::npos) << "endings drawn";
  EXPECT_NE(html.find("#c62828"), std::string::npos) << "ran on in the colour every page uses";
  EXPECT_EQ(build_loop_report(config, hostile_outcome()), html) << "deterministic";
}

TEST(LoopReportTest, RendersInHeadlessChromium) {
  if (!fs::exists(kChromium)) GTEST_SKIP() << "chromium not installed (bash scripts/install-deps.sh --test)";
  TempDir tmp;
  LoopConfig config;
  config.file = "loop.toml";
  const std::string html = (tmp / "report.html").string();
  write_file(html, build_loop_report(config, hostile_outcome()));
  const std::string png = (tmp / "report.png").string(), dom = (tmp / "dom.html").string(),
                    log = (tmp / "log.txt").string();
  const std::string flags = std::string(kChromium) +
                            " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                            "--disable-background-networking --disable-component-update --disable-sync "
                            "--enable-logging=stderr --v=0 --user-data-dir=" +
                            (tmp / "profile").string() + " --window-size=1200,2400 ";
  ASSERT_EQ(std::system((flags + "--screenshot=" + png + " file://" + html + " >/dev/null 2>" + log).c_str()), 0);
  ASSERT_TRUE(fs::exists(png));
  EXPECT_GT(fs::file_size(png), 10000u);
  ASSERT_EQ(std::system((flags + "--dump-dom file://" + html + " >" + dom + " 2>>" + log).c_str()), 0);
  const std::string rendered = read_file(dom);
  EXPECT_EQ(count(rendered, "<svg"), 3);  // stream chart + an endings chart per comparison
  EXPECT_EQ(count(rendered, "<script"), 0);
  EXPECT_NE(rendered.find("&lt;script&gt;alert"), std::string::npos) << "model text shown as text";
  const std::string console = read_file(log);
  EXPECT_EQ(console.find("Uncaught"), std::string::npos) << console;
  EXPECT_EQ(console.find("Refused to"), std::string::npos) << console;
}

}  // namespace
}  // namespace caploop
