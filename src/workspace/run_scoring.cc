#include "workspace/run_scoring.h"

#include <algorithm>
#include <map>
#include <thread>

#include "eval/ending.h"
#include "eval/rule_registry.h"
#include "store/response_reader.h"
#include "store/score_table.h"
#include "store/sqlite.h"

namespace caploop {

std::string rule_for_benchmark(const std::optional<std::string>& rule, const std::string& benchmark) {
  return rule ? *rule : std::string(default_rule_name_for(benchmark));
}

namespace {

struct Scored {
  Score score;
  Ending ending;
};

void score_range(const std::vector<ResponseRow>& rows, size_t begin, size_t end,
                 const std::map<std::string, const ScoringRule*>& rules,
                 const std::map<std::pair<std::string, std::string>, int64_t>& longest,
                 std::optional<int64_t> max_new_tokens, std::vector<Scored>& out) {
  for (size_t i = begin; i < end; ++i) {
    const ResponseRow& r = rows[i];
    const ScoringRule* rule = rules.at(r.benchmark);
    Scored s;
    s.score = rule->score(r.text, r.reference);
    EndingInput in;
    in.text = r.text;
    if (r.finish_reason) in.finish_reason = *r.finish_reason;
    in.n_tokens = r.n_tokens;
    in.max_new_tokens = max_new_tokens;
    auto it = longest.find({r.benchmark, r.task});
    if (it != longest.end()) in.run_max_bytes = static_cast<size_t>(it->second);
    s.ending = classify_ending(in, s.score.extraction);
    out[i] = std::move(s);
  }
}

}  // namespace

ScoringReport score_run(WorkspaceDb& ws, const RunRow& run, const std::optional<std::string>& rule, unsigned threads,
                        Progress* progress, const std::optional<std::string>& only_benchmark) {
  if (rule) rule_or_throw(*rule);  // fail before writing anything
  ScoringReport report;
  report.run = run.info.name;
  std::map<std::string, const ScoringRule*> rules;
  for (const auto& b : benchmarks_of_run(ws, run.id)) {
    if (only_benchmark && b != *only_benchmark) continue;
    const ScoringRule& r = rule_or_throw(rule_for_benchmark(rule, b));
    rules[b] = &r;
    report.applied.push_back({b, std::string(r.name()), r.version(), 0, 0});
  }
  auto longest = longest_response_per_task(ws, run.id);
  threads = std::max(1u, threads);

  Transaction tx(ws.db());
  ScoreWriter writer(ws);
  for (const auto& [benchmark, r] : rules) writer.clear(run.id, r->name(), benchmark);
  ResponseReader reader(ws, run.id);
  std::vector<ResponseRow> batch;
  std::vector<Scored> scored;
  std::map<std::string, RuleApplication*> by_benchmark;
  for (auto& a : report.applied) by_benchmark[a.benchmark] = &a;
  while (reader.next_batch(batch)) {
    if (only_benchmark) {
      std::erase_if(batch, [&](const ResponseRow& r) { return r.benchmark != *only_benchmark; });
      if (batch.empty()) continue;
    }
    scored.assign(batch.size(), Scored{});
    size_t n = batch.size();
    unsigned t = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(1, n / 256)));
    if (t <= 1) {
      score_range(batch, 0, n, rules, longest, run.info.generation.max_new_tokens, scored);
    } else {
      std::vector<std::thread> pool;
      size_t chunk = (n + t - 1) / t;
      for (unsigned k = 0; k < t; ++k) {
        size_t b = k * chunk, e = std::min(n, b + chunk);
        if (b >= e) break;
        pool.emplace_back(score_range, std::cref(batch), b, e, std::cref(rules), std::cref(longest),
                          run.info.generation.max_new_tokens, std::ref(scored));
      }
      for (auto& th : pool) th.join();
    }
    for (size_t i = 0; i < n; ++i) {
      const ScoringRule* r = rules.at(batch[i].benchmark);
      writer.put(batch[i].response_id, r->name(), r->version(), scored[i].score, scored[i].ending);
      RuleApplication* a = by_benchmark.at(batch[i].benchmark);
      ++a->responses;
      a->correct += scored[i].score.correct ? 1 : 0;
    }
    if (progress) progress->advance(n);
  }
  tx.commit();
  return report;
}

}  // namespace caploop

namespace caploop {

bool ensure_scored(WorkspaceDb& ws, const RunRow& run, const std::optional<std::string>& rule, unsigned threads,
                   Progress* progress, const std::optional<std::string>& only_benchmark) {
  for (const auto& b : benchmarks_of_run(ws, run.id)) {
    if (only_benchmark && b != *only_benchmark) continue;
    const ScoringRule& r = rule_or_throw(rule_for_benchmark(rule, b));
    auto v = stored_rule_version(ws, run.id, r.name(), b);
    if (!v || *v != r.version()) {
      score_run(ws, run, rule, threads, progress, only_benchmark);
      return true;
    }
  }
  return false;
}

}  // namespace caploop
