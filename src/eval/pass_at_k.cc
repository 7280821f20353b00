#include "eval/pass_at_k.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/error.h"

namespace caploop {

namespace {

void require_positive_k(int64_t k) {
  if (k < 1) throw_usage_error(fmt::format("k must be at least 1 (got {})", k));
}

// Mean and standard error of the mean (sample standard deviation / sqrt(count)) of per-item values.
MetricEstimate summarise(const std::vector<double>& values, int64_t skipped) {
  MetricEstimate m;
  m.items = static_cast<int64_t>(values.size());
  m.items_skipped = skipped;
  if (values.empty()) return m;
  double sum = 0;
  for (double v : values) sum += v;
  m.mean = sum / static_cast<double>(values.size());
  if (values.size() >= 2) {
    double squares = 0;
    for (double v : values) squares += (v - m.mean) * (v - m.mean);
    double sd = std::sqrt(squares / static_cast<double>(values.size() - 1));
    m.std_error = sd / std::sqrt(static_cast<double>(values.size()));
  }
  return m;
}

int64_t count_correct(const std::vector<bool>& correct, int64_t first_n) {
  return std::count(correct.begin(), correct.begin() + first_n, true);
}

}  // namespace

double pass_at_k(int64_t n, int64_t c, int64_t k) {
  if (n < 1 || c < 0 || c > n || k < 1 || k > n) {
    throw_usage_error(fmt::format("pass@k needs 0 <= c <= n and 1 <= k <= n (got n={}, c={}, k={})", n, c, k));
  }
  if (n - c < k) return 1.0;  // every k-subset contains a correct sample
  // C(n-c, k) / C(n, k) = prod_{i=n-c+1}^{n} (1 - k/i): each factor lies in [0, 1), so no overflow.
  double all_wrong = 1.0;
  for (int64_t i = n - c + 1; i <= n; ++i) all_wrong *= 1.0 - static_cast<double>(k) / static_cast<double>(i);
  return 1.0 - all_wrong;
}

MetricEstimate aggregate_pass_at_k(const std::vector<ItemSamples>& items, int64_t k) {
  require_positive_k(k);
  std::vector<double> values;
  int64_t skipped = 0;
  for (const ItemSamples& item : items) {
    int64_t n = static_cast<int64_t>(item.correct.size());
    if (n < k) {
      ++skipped;
      continue;
    }
    values.push_back(pass_at_k(n, count_correct(item.correct, n), k));
  }
  return summarise(values, skipped);
}

MetricEstimate aggregate_mean_at_k(const std::vector<ItemSamples>& items, int64_t k) {
  require_positive_k(k);
  std::vector<double> values;
  int64_t skipped = 0;
  for (const ItemSamples& item : items) {
    if (static_cast<int64_t>(item.correct.size()) < k) {
      ++skipped;
      continue;
    }
    values.push_back(static_cast<double>(count_correct(item.correct, k)) / static_cast<double>(k));
  }
  return summarise(values, skipped);
}

MetricEstimate aggregate_maj_at_k(const std::vector<ItemSamples>& items, int64_t k) {
  require_positive_k(k);
  std::vector<double> values;
  int64_t skipped = 0;
  for (const ItemSamples& item : items) {
    if (static_cast<int64_t>(std::min(item.correct.size(), item.answers.size())) < k) {
      ++skipped;
      continue;
    }
    // Votes per answer; the winner has the most votes, ties going to the answer seen first.
    std::map<std::string_view, std::pair<int64_t, int64_t>> votes;  // answer -> (count, first sample)
    int64_t winner = -1, winner_votes = 0;
    for (int64_t s = 0; s < k; ++s) {
      const std::string& answer = item.answers[static_cast<size_t>(s)];
      if (answer.empty()) continue;
      auto [it, inserted] = votes.try_emplace(answer, 0, s);
      int64_t count = ++it->second.first;
      int64_t first = it->second.second;
      if (count > winner_votes || (count == winner_votes && first < winner)) {
        winner = first;
        winner_votes = count;
      }
    }
    values.push_back(winner >= 0 && item.correct[static_cast<size_t>(winner)] ? 1.0 : 0.0);
  }
  return summarise(values, skipped);
}

}  // namespace caploop
