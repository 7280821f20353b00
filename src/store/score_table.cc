#include "store/score_table.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "store/score_set.h"

namespace caploop {

struct ScoreWriter::Group {
  int64_t run_id = 0;
  std::string rule;
  std::string benchmark;
  std::string task;
  int rule_version = 0;
  int64_t next_chunk = -1;  // -1: not yet looked up
  std::vector<SampleScore> samples;
};

ScoreWriter::ScoreWriter(WorkspaceDb& ws)
    : ws_(ws.prepare_score_writes()),
      insert_(ws.db(),
              "INSERT INTO score_sets(run_id, rule, benchmark, task, chunk, rule_version, n_scores, body) "
              "VALUES(?, ?, ?, ?, ?, ?, ?, ?)") {}

ScoreWriter::~ScoreWriter() = default;

void ScoreWriter::clear(int64_t run_id, std::string_view rule, std::optional<std::string_view> benchmark,
                        std::optional<std::string_view> task) {
  std::string sql = "DELETE FROM score_sets WHERE run_id = ? AND rule = ?";
  if (benchmark) sql += " AND benchmark = ?";
  if (benchmark && task) sql += " AND task = ?";
  Statement st(ws_.db(), sql.c_str());
  st.bind(1, run_id).bind(2, rule);
  if (benchmark) st.bind(3, *benchmark);
  if (benchmark && task) st.bind(4, *task);
  st.run();
  for (auto& g : groups_) {
    g->next_chunk = -1;
    if (g->run_id == run_id && g->rule == rule && (!benchmark || g->benchmark == *benchmark) &&
        (!benchmark || !task || g->task == *task)) {
      g->samples.clear();
    }
  }
}

ScoreWriter::Group& ScoreWriter::group_of(const ScoredResponseKey& response, std::string_view rule, int rule_version) {
  auto same = [&](const Group& g) {
    return g.run_id == response.run_id && g.rule_version == rule_version && g.task == response.task &&
           g.benchmark == response.benchmark && g.rule == rule;
  };
  if (last_ != nullptr && same(*last_)) return *last_;
  for (auto& g : groups_) {
    if (same(*g)) return *(last_ = g.get());
  }
  auto g = std::make_unique<Group>();
  g->run_id = response.run_id;
  g->rule = rule;
  g->benchmark = response.benchmark;
  g->task = response.task;
  g->rule_version = rule_version;
  groups_.push_back(std::move(g));
  return *(last_ = groups_.back().get());
}

void ScoreWriter::put(const ScoredResponseKey& response, std::string_view rule, int rule_version, const Score& score,
                      const Ending& ending) {
  Group& group = group_of(response, rule, rule_version);
  SampleScore& s =
      group.samples.emplace_back(response.response_id, response.item_id, response.sample_index, score, ending);
  s.answer = score.extraction.answer;  // stored as the rule gave it, also when it found none
  if (group.samples.size() >= kScoreSetChunk) flush_group(group);
}

void ScoreWriter::put(int64_t response_id, std::string_view rule, int rule_version, const Score& score,
                      const Ending& ending) {
  Statement st(ws_.db(),
               "SELECT r.run_id, i.benchmark, i.task, r.item_id, r.sample_index FROM main.stored_responses r "
               "JOIN main.stored_items i ON i.id = r.item_id WHERE r.id = ?");
  st.bind(1, response_id);
  if (!st.step()) throw Error(ErrorKind::kNotFound, fmt::format("no stored response with id {}", response_id));
  put({st.int64(0), st.text(1), st.text(2), response_id, st.int64(3), st.int64(4)}, rule, rule_version, score, ending);
  flush();
}

void ScoreWriter::flush() {
  for (auto& g : groups_) flush_group(*g);
}

void ScoreWriter::flush_group(Group& g) {
  if (g.samples.empty()) return;
  if (g.next_chunk < 0) {
    Statement st(ws_.db(),
                 "SELECT coalesce(max(chunk) + 1, 0) FROM score_sets WHERE run_id = ? AND rule = ? AND benchmark = ? "
                 "AND task = ?");
    st.bind(1, g.run_id).bind(2, std::string_view(g.rule)).bind(3, std::string_view(g.benchmark));
    st.bind(4, std::string_view(g.task));
    st.step();
    g.next_chunk = st.int64(0);
  }
  insert_.bind(1, g.run_id)
      .bind(2, std::string_view(g.rule))
      .bind(3, std::string_view(g.benchmark))
      .bind(4, std::string_view(g.task))
      .bind(5, g.next_chunk++)
      .bind(6, int64_t{g.rule_version})
      .bind(7, static_cast<int64_t>(g.samples.size()))
      .bind_blob(8, encode_score_set(g.samples));
  insert_.run();
  g.samples.clear();
}

SampleScore::SampleScore(int64_t response, int64_t item, int64_t sample, const Score& score, const Ending& e)
    : response_id(response),
      item_id(item),
      sample_index(sample),
      found(score.extraction.found),
      correct(score.correct),
      ran_on(e.ran_on),
      truncated(e.truncated),
      repetitive(e.repetitive),
      ending(e.kind),
      evidence(e.evidence),
      answer(score.extraction.found ? score.extraction.answer : std::string()) {}

void order_by_item(std::vector<SampleScore>& samples) {
  std::sort(samples.begin(), samples.end(), [](const SampleScore& a, const SampleScore& b) {
    return a.item_id != b.item_id ? a.item_id < b.item_id : a.sample_index < b.sample_index;
  });
}

void for_each_score_set(WorkspaceDb& ws, int64_t run_id, std::string_view rule, std::string_view benchmark,
                        std::optional<std::string_view> task, const ScoreSetVisitor& fn) {
  std::string sql = "SELECT task, rule_version, body FROM score_sets WHERE run_id = ? AND rule = ? AND benchmark = ?";
  if (task) sql += " AND task = ?";
  sql += " ORDER BY task, chunk";
  Statement st(ws.db(), sql.c_str());
  st.bind(1, run_id).bind(2, rule).bind(3, benchmark);
  if (task) st.bind(4, *task);
  std::vector<SampleScore> samples;
  while (st.step()) {
    samples.clear();
    decode_score_set(st.blob(2), samples,
                     fmt::format("score set of run {}, rule {}, task {}/{}", run_id, rule, benchmark, st.text(0)));
    fn(st.text(0), static_cast<int>(st.int64(1)), samples);
  }
}

TaskSampleScores read_sample_scores(WorkspaceDb& ws, int64_t run_id, std::string_view rule,
                                    std::string_view benchmark) {
  TaskSampleScores out;
  std::vector<SampleScore>* current = nullptr;
  std::string current_task;
  for_each_score_set(ws, run_id, rule, benchmark, std::nullopt,
                     [&](std::string_view task, int, std::vector<SampleScore>& samples) {
                       if (current == nullptr || task != current_task) {
                         current_task = task;
                         current = &out[current_task];
                       }
                       for (SampleScore& s : samples) {
                         if (!s.found) s.answer.clear();
                         current->push_back(std::move(s));
                       }
                     });
  for (auto& [task, samples] : out) order_by_item(samples);
  return out;
}

StoredScores read_stored_scores(WorkspaceDb& ws, int64_t run_id, std::string_view rule, std::string_view benchmark,
                                std::optional<std::string_view> task) {
  StoredScores out;
  for_each_score_set(ws, run_id, rule, benchmark, task,
                     [&](std::string_view name, int version, std::vector<SampleScore>& samples) {
                       if (out.tasks.empty() || out.tasks.back() != name) out.tasks.emplace_back(name);
                       const auto index = static_cast<uint32_t>(out.tasks.size() - 1);
                       for (SampleScore& s : samples) {
                         const int64_t id = s.response_id;
                         out.by_response[id] = StoredScore{version, index, std::move(s)};
                       }
                     });
  return out;
}

std::optional<int> stored_rule_version(WorkspaceDb& ws, int64_t run_id, std::string_view rule,
                                       std::optional<std::string_view> benchmark) {
  std::string sql =
      "SELECT min(rule_version), max(rule_version), count(*) FROM score_sets WHERE run_id = ? AND rule = ?";
  if (benchmark) sql += " AND benchmark = ?";
  Statement st(ws.db(), sql.c_str());
  st.bind(1, run_id).bind(2, rule);
  if (benchmark) st.bind(3, *benchmark);
  if (!st.step() || st.int64(2) == 0) return std::nullopt;
  if (st.int64(0) != st.int64(1)) return std::nullopt;  // mixed versions: treat as not scored
  return static_cast<int>(st.int64(0));
}

std::vector<std::string> benchmarks_of_run(WorkspaceDb& ws, int64_t run_id) {
  Statement st(ws.db(),
               "SELECT DISTINCT i.benchmark FROM run_items ri JOIN items i ON i.id = ri.item_id WHERE ri.run_id = ? "
               "ORDER BY i.benchmark");
  st.bind(1, run_id);
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.str(0));
  return out;
}

}  // namespace caploop
