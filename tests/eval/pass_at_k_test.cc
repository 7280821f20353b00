#include "eval/pass_at_k.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <iostream>
#include <numeric>

#include "core/error.h"
#include "test_support.h"

namespace caploop {
namespace {

// The textbook formula 1 - C(n-c, k) / C(n, k) with binomial coefficients in long double (exact for n <= 60).
long double binomial(int64_t n, int64_t k) {
  if (k < 0 || k > n) return 0;
  long double r = 1;
  for (int64_t i = 1; i <= k; ++i) r = r * static_cast<long double>(n - k + i) / static_cast<long double>(i);
  return r;
}

long double pass_at_k_by_binomials(int64_t n, int64_t c, int64_t k) {
  return 1.0L - binomial(n - c, k) / binomial(n, k);
}

// The same quantity through log-gamma, usable for large n.
long double pass_at_k_by_lgamma(int64_t n, int64_t c, int64_t k) {
  if (n - c < k) return 1.0L;
  long double log_ratio =
      std::lgamma(static_cast<long double>(n - c + 1)) - std::lgamma(static_cast<long double>(n - c - k + 1)) -
      std::lgamma(static_cast<long double>(n + 1)) + std::lgamma(static_cast<long double>(n - k + 1));
  return 1.0L - std::exp(log_ratio);
}

ItemSamples item(std::vector<bool> correct, std::vector<std::string> answers = {}) {
  return ItemSamples{std::move(correct), std::move(answers)};
}

TEST(PassAtKTest, MatchesBinomialFormulaForSmallN) {
  for (int64_t n = 1; n <= 40; ++n) {
    for (int64_t c = 0; c <= n; ++c) {
      for (int64_t k = 1; k <= n; ++k) {
        EXPECT_NEAR(pass_at_k(n, c, k), static_cast<double>(pass_at_k_by_binomials(n, c, k)), 1e-12)
            << "n=" << n << " c=" << c << " k=" << k;
      }
    }
  }
}

TEST(PassAtKTest, EdgeCases) {
  EXPECT_EQ(pass_at_k(10, 0, 1), 0.0);
  EXPECT_EQ(pass_at_k(10, 0, 10), 0.0);
  EXPECT_EQ(pass_at_k(10, 10, 1), 1.0);
  EXPECT_EQ(pass_at_k(10, 1, 10), 1.0);  // k = n: any correct sample is drawn
  EXPECT_EQ(pass_at_k(10, 4, 7), 1.0);   // k > n - c
  EXPECT_DOUBLE_EQ(pass_at_k(10, 3, 1), 0.3);
  EXPECT_DOUBLE_EQ(pass_at_k(1, 1, 1), 1.0);
}

TEST(PassAtKTest, RejectsInvalidArguments) {
  for (auto [n, c, k] :
       std::vector<std::array<int64_t, 3>>{{10, -1, 1}, {10, 11, 1}, {10, 2, 0}, {10, 2, 11}, {0, 0, 1}, {-3, 0, 1}}) {
    try {
      pass_at_k(n, c, k);
      ADD_FAILURE() << "accepted n=" << n << " c=" << c << " k=" << k;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kUsage);
    }
  }
}

TEST(PassAtKTest, LargeNStaysFiniteAndAccurate) {
  const int64_t n = 1000;
  double previous_c = -1;
  for (int64_t c = 0; c <= n; c += 7) {
    double previous_k = -1;
    for (int64_t k : {1, 2, 5, 10, 50, 100, 500, 1000}) {
      double v = pass_at_k(n, c, k);
      ASSERT_TRUE(std::isfinite(v));
      ASSERT_GE(v, 0.0);
      ASSERT_LE(v, 1.0);
      EXPECT_GE(v, previous_k);  // more attempts never hurt
      previous_k = v;
      EXPECT_NEAR(v, static_cast<double>(pass_at_k_by_lgamma(n, c, k)), 1e-9) << "c=" << c << " k=" << k;
    }
    double v = pass_at_k(n, c, 10);
    EXPECT_GE(v, previous_c);  // more correct samples never hurt
    previous_c = v;
  }
  EXPECT_DOUBLE_EQ(pass_at_k(n, 1, 1), 0.001);
}

TEST(AggregateTest, MeansStandardErrorsAndSkippedItems) {
  std::vector<ItemSamples> items = {item({true, false, false, false}), item({true, true, false, false}),
                                    item({false, false, false, false}), item({true, false})};
  MetricEstimate p1 = aggregate_pass_at_k(items, 1);
  EXPECT_EQ(p1.items, 4);
  EXPECT_EQ(p1.items_skipped, 0);
  std::vector<double> v = {0.25, 0.5, 0.0, 0.5};
  double mean = std::accumulate(v.begin(), v.end(), 0.0) / 4;
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  EXPECT_DOUBLE_EQ(p1.mean, mean);
  EXPECT_NEAR(p1.std_error, std::sqrt(ss / 3) / 2, 1e-15);

  MetricEstimate p4 = aggregate_pass_at_k(items, 4);  // the two-sample item is skipped
  EXPECT_EQ(p4.items, 3);
  EXPECT_EQ(p4.items_skipped, 1);
  EXPECT_DOUBLE_EQ(p4.mean, 2.0 / 3.0);

  MetricEstimate m2 = aggregate_mean_at_k(items, 2);  // first two samples only
  EXPECT_DOUBLE_EQ(m2.mean, (0.5 + 1.0 + 0.0 + 0.5) / 4);

  MetricEstimate one = aggregate_pass_at_k({item({true})}, 1);
  EXPECT_EQ(one.std_error, 0.0);
  MetricEstimate none = aggregate_pass_at_k({}, 1);
  EXPECT_EQ(none.items, 0);
  EXPECT_EQ(none.mean, 0.0);
  EXPECT_THROW(aggregate_mean_at_k(items, 0), Error);
}

TEST(AggregateTest, MajorityVoteTiesAndEmptyAnswers) {
  std::vector<ItemSamples> items = {
      item({false, true, true, false}, {"3", "4", "4", "3"}),  // tie 2-2: "3" was seen first, and is wrong
      item({false, true, true, false}, {"", "4", "4", "3"}),   // "4" wins
      item({true, true}, {"", ""}),                            // no answer at all: wrong
      item({true, false, false}, {"7", "5", "5"}),             // within k=2: tie 1-1, "7" first
  };
  MetricEstimate maj = aggregate_maj_at_k(items, 2);
  // k=2: item 1 {"3","4"} tie -> "3" wrong; item 2 {"","4"} -> "4" right; item 3 none -> wrong; item 4 -> "7" right.
  EXPECT_DOUBLE_EQ(maj.mean, 0.5);
  MetricEstimate maj3 = aggregate_maj_at_k(items, 3);
  // k=3: item 1 "4" (2 votes) right; item 2 "4" right; item 3 skipped (2 samples); item 4 "5" (2 votes) wrong.
  EXPECT_EQ(maj3.items, 3);
  EXPECT_EQ(maj3.items_skipped, 1);
  EXPECT_DOUBLE_EQ(maj3.mean, 2.0 / 3.0);
  MetricEstimate maj4 = aggregate_maj_at_k(items, 4);
  EXPECT_DOUBLE_EQ(maj4.mean, 0.5);  // item 1 tie -> "3" wrong; item 2 "4" right
}

// Real data: Qwen2.5-Math-7B-Instruct, 100 MATH problems x 8 samples, with the published correctness flags.
TEST(AggregateRealDataTest, QwenMathCot100) {
  REQUIRE_SHARED_DATA();
  auto path = caploop::testing::shared_data_dir() / "model_outputs/qwen25math_math_cot_100/math_cot_100.jsonl";
  simdjson::padded_string json = simdjson::padded_string::load(path.string()).value();
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document_stream docs = parser.iterate_many(json).value();
  std::vector<ItemSamples> items;
  for (auto doc : docs) {
    ItemSamples s;
    // Arrays are named: value() on a temporary result returns a reference that a range-for would outlive.
    simdjson::ondemand::array score = doc["score"].get_array().value();
    for (auto flag : score) s.correct.push_back(flag.get_bool().value());
    simdjson::ondemand::array pred = doc["pred"].get_array().value();
    for (auto answer : pred) s.answers.emplace_back(answer.get_string().value());
    items.push_back(std::move(s));
  }
  ASSERT_EQ(items.size(), 100u);

  // Independent figures: the mean of all flags, the share of problems with any correct sample, and a
  // majority vote by sorting each problem's answers.
  size_t flags = 0, true_flags = 0, any_true = 0, majority_right = 0;
  for (const ItemSamples& s : items) {
    flags += s.correct.size();
    true_flags += std::count(s.correct.begin(), s.correct.end(), true);
    any_true += std::find(s.correct.begin(), s.correct.end(), true) != s.correct.end();
    size_t best = s.answers.size();
    size_t best_votes = 0;
    for (size_t i = 0; i < s.answers.size(); ++i) {
      if (s.answers[i].empty()) continue;
      size_t votes = std::count(s.answers.begin(), s.answers.end(), s.answers[i]);
      bool first_of_its_answer = std::find(s.answers.begin(), s.answers.end(), s.answers[i]) - s.answers.begin() ==
                                 static_cast<std::ptrdiff_t>(i);
      if (first_of_its_answer && votes > best_votes) {
        best = i;
        best_votes = votes;
      }
    }
    majority_right += best < s.answers.size() && s.correct[best];
  }
  double mean_flag = static_cast<double>(true_flags) / static_cast<double>(flags);
  double any_share = static_cast<double>(any_true) / static_cast<double>(items.size());

  MetricEstimate p1 = aggregate_pass_at_k(items, 1);
  MetricEstimate p8 = aggregate_pass_at_k(items, 8);
  MetricEstimate mean8 = aggregate_mean_at_k(items, 8);
  MetricEstimate maj8 = aggregate_maj_at_k(items, 8);
  std::cout << "[ figures  ] math_cot_100: pass@1 " << p1.mean << " (se " << p1.std_error << "), pass@8 " << p8.mean
            << " (se " << p8.std_error << "), maj@8 " << maj8.mean << ", pass@4 " << aggregate_pass_at_k(items, 4).mean
            << "\n";
  EXPECT_EQ(flags, 800u);
  EXPECT_NEAR(p1.mean, mean_flag, 1e-12);
  EXPECT_NEAR(mean8.mean, mean_flag, 1e-12);
  EXPECT_NEAR(p8.mean, any_share, 1e-12);
  EXPECT_NEAR(maj8.mean, static_cast<double>(majority_right) / 100.0, 1e-12);
  EXPECT_EQ(p8.items, 100);
  EXPECT_EQ(p8.items_skipped, 0);
  EXPECT_LE(p1.mean, aggregate_pass_at_k(items, 4).mean);
  EXPECT_LE(aggregate_pass_at_k(items, 4).mean, p8.mean);
}

}  // namespace
}  // namespace caploop
