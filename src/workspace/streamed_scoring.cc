#include "workspace/streamed_scoring.h"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <functional>
#include <optional>
#include <semaphore>
#include <set>
#include <unordered_map>

#include "core/error.h"
#include "core/task_pool.h"
#include "eval/rule_registry.h"
#include "store/score_table.h"
#include "store/sqlite.h"

namespace caploop {

void ScoringSink::begin_run(const RunInfo& run) {
  max_new_tokens_ = run.generation.max_new_tokens;
  harness_tasks_ = harness_task_names(run.generation.extra_json);
  next_->begin_run(run);
}

bool ScoringSink::scores_while_streaming(const std::string& benchmark, const std::string& task) const {
  return !known_default_rule(harness_tasks_, benchmark, task).empty();
}

uint32_t ScoringSink::task_index(const std::string& benchmark, const std::string& task) {
  if (have_last_ && last_key_.first == benchmark && last_key_.second == task) return last_task_;
  auto [it, added] = task_ids_.try_emplace({benchmark, task}, static_cast<uint32_t>(tasks_.size()));
  if (added) {
    Task t;
    t.benchmark = benchmark;
    t.task = task;
    if (scores_while_streaming(benchmark, task)) {
      t.rule = &rule_or_throw(known_default_rule(harness_tasks_, benchmark, task));
      const std::string_view own = default_rule_name_for(benchmark);  // "exact": caploop has none of its own
      if (own != "exact" && own != t.rule->name()) t.benchmark_rule = &rule_or_throw(own);
    }
    tasks_.push_back(std::move(t));
  }
  last_key_ = it->first;
  last_task_ = it->second;
  have_last_ = true;
  return last_task_;
}

// The scoring thread: runs the submitted batches in order, one at a time; submit() waits while
// kScoringBatchesInFlight of them are queued or running.
class ScoringStage {
 public:
  void run(std::function<void()> fn) {
    slots_.acquire();
    pool_.submit([this, fn = std::move(fn)] {
      fn();
      slots_.release();
    });
  }

 private:
  std::counting_semaphore<> slots_{static_cast<std::ptrdiff_t>(kScoringBatchesInFlight)};
  TaskPool pool_{1};  // declared last: destroyed first, so every batch has run before the semaphore goes
};

// What scoring a batch needs, copied from the importer's records (which move on to be stored).
struct ScoringSink::Job {
  struct Response {
    uint32_t task = 0;
    const Task* of = nullptr;
    const ScoringRule* rule = nullptr;
    const ScoringRule* benchmark_rule = nullptr;
    int64_t sample_index = 0;
    std::string source_id;
    std::string text;
    std::string reference;
    std::optional<std::string> finish_reason;
    std::optional<int64_t> n_tokens;
    std::vector<std::pair<std::string, std::string>> filtered;  // only for rules that read harness values
    std::vector<std::pair<std::string, double>> harness_metrics;
  };
  std::vector<Response> responses;
  std::vector<Scored> out;
  std::exception_ptr error;
  std::atomic<bool> done{false};  // set by the scoring thread once `out` is final

  void score(std::optional<int64_t> max_new_tokens) {
    try {
      out.reserve(responses.size());
      for (Response& r : responses) {
        Scored& s = out.emplace_back();
        s.task = r.task;
        s.of = r.of;
        s.sample_index = r.sample_index;
        s.source_id = std::move(r.source_id);
        s.score = r.rule->score_evidence(ResponseEvidence{r.text, r.reference, &r.filtered, &r.harness_metrics});
        EndingInput in;
        in.text = r.text;
        if (r.finish_reason) in.finish_reason = *r.finish_reason;
        in.n_tokens = r.n_tokens;
        in.max_new_tokens = max_new_tokens;
        s.ending = classify_ending(in, s.score.extraction);
        s.awaits_run_max = awaits_run_max_bytes(in, s.score.extraction, s.ending);
        s.text_bytes = r.text.size();
        if (r.benchmark_rule != nullptr) {
          Scored::UnderBenchmarkRule& b = s.benchmark_rule.emplace();
          b.score =
              r.benchmark_rule->score_evidence(ResponseEvidence{r.text, r.reference, &r.filtered, &r.harness_metrics});
          b.ending = classify_ending(in, b.score.extraction, s.ending.repetitive);  // the same text, tested above
          b.awaits_run_max = awaits_run_max_bytes(in, b.score.extraction, b.ending);
        }
      }
    } catch (...) {
      error = std::current_exception();
    }
    responses = {};  // the copies go as soon as they are scored
    done.store(true, std::memory_order_release);
  }
};

namespace {
constexpr size_t kScoringBatchResponses = 512;
}  // namespace

ScoringSink::ScoringSink() : stage_(std::make_unique<ScoringStage>()) {}

ScoringSink::~ScoringSink() = default;

void ScoringSink::add_item(const ItemRecord& item, std::vector<ResponseRecord> responses) {
  queue(item, responses);
  next_->add_item(item, std::move(responses));
}

void ScoringSink::add_owned_item(ItemRecord&& item, std::vector<ResponseRecord> responses) {
  queue(item, responses);
  next_->add_owned_item(std::move(item), std::move(responses));
}

void ScoringSink::write_batches_through(PipelineSink& pipeline, std::function<void(const std::vector<Scored>&)> write) {
  pipeline_ = &pipeline;
  write_ = std::move(write);
}

void ScoringSink::hand_scored_to_writer() {
  // Before the current item is handed on: every item a finished batch scored is already with the writer.
  while (pipeline_ != nullptr && handed_to_writer_ < submitted_.size() &&
         submitted_[handed_to_writer_]->done.load(std::memory_order_acquire)) {
    const Job* job = submitted_[handed_to_writer_].get();
    if (!job->error) pipeline_->run_on_writer([this, job] { write_(job->out); });
    ++handed_to_writer_;
  }
}

void ScoringSink::queue(const ItemRecord& item, const std::vector<ResponseRecord>& responses) {
  hand_scored_to_writer();
  uint32_t index = task_index(item.benchmark, item.task);
  const ScoringRule* rule = tasks_[index].rule;
  if (rule == nullptr) return;
  const ScoringRule* benchmark_rule = tasks_[index].benchmark_rule;
  const bool harness_values =
      rule->reads_harness_values() || (benchmark_rule != nullptr && benchmark_rule->reads_harness_values());
  if (!job_) job_ = std::make_unique<Job>();
  for (const ResponseRecord& r : responses) {
    Job::Response& c = job_->responses.emplace_back();
    c.task = index;
    c.of = &tasks_[index];
    c.rule = rule;
    c.benchmark_rule = benchmark_rule;
    c.sample_index = r.sample_index;
    c.source_id = item.source_id;
    c.text = r.text;
    c.reference = item.reference;
    c.finish_reason = r.finish_reason;
    c.n_tokens = r.n_tokens;
    if (harness_values) {
      c.filtered = r.filtered;
      c.harness_metrics = r.harness_metrics;
    }
  }
  if (job_->responses.size() >= kScoringBatchResponses) submit();
}

void ScoringSink::submit() {
  if (!job_) return;
  Job* job = job_.get();
  submitted_.push_back(std::move(job_));
  stage_->run([job, max_new_tokens = max_new_tokens_] { job->score(max_new_tokens); });
}

void ScoringSink::finish() {
  if (!stage_) return;  // finished already
  submit();
  stage_.reset();  // runs what is queued, then joins the scoring thread
  size_t total = scored_.size();
  for (const auto& job : submitted_) total += job->out.size();
  scored_.reserve(total);
  for (auto& job : submitted_) {
    if (job->error) std::rethrow_exception(job->error);
    for (Scored& s : job->out) {
      tasks_[s.task].longest_bytes = std::max(tasks_[s.task].longest_bytes, s.text_bytes);
      scored_.push_back(std::move(s));
    }
    job.reset();
  }
  submitted_.clear();
}

namespace {

struct StoredResponse {
  int64_t id = 0;
  int64_t item_id = 0;
  uint32_t task = 0;
  int64_t sample_index = 0;
  std::string source_id;
};

// The run's stored responses of the streamed tasks in the order written (id order), from the writer's log of
// what it wrote (RunWriter::keep_written_responses): no query.
std::vector<StoredResponse> written_responses_of(const RunWriter& writer, const ScoringSink& scoring) {
  std::map<std::pair<std::string, std::string>, uint32_t> index;
  for (uint32_t i = 0; i < scoring.tasks().size(); ++i) {
    index[{scoring.tasks()[i].benchmark, scoring.tasks()[i].task}] = i;
  }
  std::vector<std::optional<uint32_t>> streamed_task(writer.written_tasks().size());  // writer's -> scoring's
  for (size_t w = 0; w < writer.written_tasks().size(); ++w) {
    const auto& [benchmark, task] = writer.written_tasks()[w];
    auto it = index.find({benchmark, task});
    if (it == index.end()) {
      throw Error(ErrorKind::kInternal,
                  fmt::format("ingest stored task {}/{} the importer never handed over", benchmark, task));
    }
    if (scoring.tasks()[it->second].rule != nullptr) streamed_task[w] = it->second;
  }
  std::vector<StoredResponse> out;
  out.reserve(writer.written_responses().size());
  for (const WrittenResponse& r : writer.written_responses()) {
    if (!streamed_task[r.task]) continue;
    out.push_back(StoredResponse{r.response_id, r.item_id, *streamed_task[r.task], r.sample_index, r.source_id});
  }
  return out;
}

bool same_response(const StoredResponse& r, const ScoringSink::Scored& s) {
  return r.task == s.task && r.sample_index == s.sample_index && r.source_id == s.source_id;
}

}  // namespace

StreamedScoreRows::StreamedScoreRows(WorkspaceDb& ws, const RunWriter& writer, const ScoringSink& scoring)
    : writer_(writer), scoring_(scoring), rows_(std::make_unique<ScoreWriter>(ws)) {}

StreamedScoreRows::~StreamedScoreRows() = default;

bool StreamedScoreRows::streamed(uint32_t written_task) {
  if (streamed_.size() <= written_task) streamed_.resize(written_task + 1, -1);
  if (streamed_[written_task] < 0) {
    const auto& [benchmark, task] = writer_.written_tasks()[written_task];
    streamed_[written_task] = scoring_.scores_while_streaming(benchmark, task) ? 1 : 0;
  }
  return streamed_[written_task] == 1;
}

void StreamedScoreRows::write(const std::vector<ScoringSink::Scored>& batch) {
  const std::vector<WrittenResponse>& log = writer_.written_responses();
  for (const ScoringSink::Scored& s : batch) {
    if (broken_) break;
    while (cursor_ < log.size() && !streamed(log[cursor_].task)) ++cursor_;
    if (cursor_ == log.size()) {
      broken_ = true;
      break;
    }
    const WrittenResponse& r = log[cursor_];
    const auto& names = writer_.written_tasks()[r.task];
    if (r.sample_index != s.sample_index || r.source_id != s.source_id || s.of == nullptr ||
        names.first != s.of->benchmark || names.second != s.of->task) {
      broken_ = true;
      break;
    }
    const ScoredResponseKey key{writer_.run_id(), s.of->benchmark, s.of->task,
                                r.response_id,    r.item_id,       r.sample_index};
    if (!s.awaits_run_max) {
      rows_->put(key, s.of->rule->name(), s.of->rule->version(), s.score, s.ending);
      ++rows_written_;
    }
    if (s.benchmark_rule && !s.benchmark_rule->awaits_run_max) {
      const ScoringRule& rule = *s.of->benchmark_rule;
      rows_->put(key, rule.name(), rule.version(), s.benchmark_rule->score, s.benchmark_rule->ending);
    }
    ++cursor_;
    ++matched_;
  }
  rows_->flush();  // one packed set per task of the batch
}

ScoringReport store_streamed_scores(WorkspaceDb& ws, const RunRow& run, ScoringSink& scoring, unsigned threads,
                                    const RunWriter& writer, Progress* progress, KnownTaskSamples* samples,
                                    const StreamedScoreRows* early) {
  scoring.finish();
  std::vector<ScoringSink::Scored>& scored = scoring.scored();
  const auto& tasks = scoring.tasks();
  for (ScoringSink::Scored& s : scored) {
    if (s.awaits_run_max) s.ending = with_run_max_bytes(s.ending, s.text_bytes, tasks[s.task].longest_bytes);
    if (s.benchmark_rule && s.benchmark_rule->awaits_run_max) {
      s.benchmark_rule->ending =
          with_run_max_bytes(s.benchmark_rule->ending, s.text_bytes, tasks[s.task].longest_bytes);
    }
  }
  // Stored responses in the order written (id order); each finds its score where it was handed over (the writer
  // keeps that order), else by key.
  if (writer.written_responses().size() != static_cast<size_t>(writer.responses_written())) {
    throw Error(ErrorKind::kInternal, "store_streamed_scores needs a RunWriter that kept its written responses");
  }
  std::vector<StoredResponse> stored = written_responses_of(writer, scoring);
  if (stored.size() != scored.size()) {
    throw Error(ErrorKind::kInternal,
                fmt::format("ingest scored {} responses but stored {}", scored.size(), stored.size()));
  }
  std::vector<size_t> position(stored.size());
  bool in_order = true;
  for (size_t i = 0; i < stored.size() && in_order; ++i) {
    in_order = same_response(stored[i], scored[i]);
    position[i] = i;
  }
  if (!in_order) {
    std::unordered_map<std::string, size_t> by_key;
    auto key = [](uint32_t task, std::string_view source_id, int64_t sample) {
      return fmt::format("{}\x1f{}\x1f{}", task, source_id, sample);
    };
    for (size_t i = 0; i < scored.size(); ++i)
      by_key[key(scored[i].task, scored[i].source_id, scored[i].sample_index)] = i;
    for (size_t i = 0; i < stored.size(); ++i) {
      auto it = by_key.find(key(stored[i].task, stored[i].source_id, stored[i].sample_index));
      if (it == by_key.end()) throw Error(ErrorKind::kInternal, "ingest stored a response it never scored");
      position[i] = it->second;
    }
  }

  ScoringReport report;
  report.run = run.info.name;
  std::vector<RuleApplication> applied(tasks.size());
  for (size_t t = 0; t < tasks.size(); ++t) {
    if (tasks[t].rule == nullptr) continue;
    applied[t] = {
        tasks[t].benchmark, tasks[t].task, std::string(tasks[t].rule->name()), tasks[t].rule->version(), 0, 0};
  }
  // Rows written while the import streamed (in order, endings final) are not written again.
  const size_t written_early = early != nullptr && in_order ? early->written_prefix() : 0;
  {
    Transaction tx(ws.db());
    ScoreWriter rows(ws);
    // What the rows written while streaming hold cannot be taken as a prefix (they stopped out of order): they go,
    // and every score is written below.
    if (early != nullptr && early->matched_any() && written_early == 0) {
      for (const auto& t : tasks) {
        if (t.rule != nullptr) rows.clear(run.id, t.rule->name(), t.benchmark, t.task);
        if (t.benchmark_rule != nullptr) rows.clear(run.id, t.benchmark_rule->name(), t.benchmark, t.task);
      }
    }
    for (size_t i = 0; i < stored.size(); ++i) {
      const ScoringSink::Scored& s = scored[position[i]];
      const ScoringRule& rule = *tasks[s.task].rule;
      const ScoredResponseKey key{run.id,       tasks[s.task].benchmark, tasks[s.task].task,
                                  stored[i].id, stored[i].item_id,       stored[i].sample_index};
      if (i >= written_early || s.awaits_run_max) rows.put(key, rule.name(), rule.version(), s.score, s.ending);
      if (s.benchmark_rule && (i >= written_early || s.benchmark_rule->awaits_run_max)) {
        const ScoringRule& own = *tasks[s.task].benchmark_rule;
        rows.put(key, own.name(), own.version(), s.benchmark_rule->score, s.benchmark_rule->ending);
      }
      ++applied[s.task].responses;
      applied[s.task].correct += s.score.correct ? 1 : 0;
    }
    rows.flush();
    // A benchmark rule's scores are kept only where they cover every task of the benchmark: where some task was not
    // scored while streaming, the tasks scored with it as their benchmark rule lose them (a task whose own rule it
    // is keeps its scores).
    std::set<std::string_view> partial;  // benchmarks with a task not scored while streaming
    for (const auto& t : tasks) {
      if (t.rule == nullptr) partial.insert(t.benchmark);
    }
    for (const auto& t : tasks) {
      if (t.benchmark_rule != nullptr && partial.count(t.benchmark))
        rows.clear(run.id, t.benchmark_rule->name(), t.benchmark, t.task);
    }
    tx.commit();
  }
  if (samples != nullptr) {
    std::vector<std::vector<SampleScore>*> of_task(tasks.size(), nullptr);
    for (size_t t = 0; t < tasks.size(); ++t) {
      if (tasks[t].rule != nullptr) of_task[t] = &(*samples)[{tasks[t].benchmark, tasks[t].task}];
    }
    for (size_t i = 0; i < stored.size(); ++i) {
      ScoringSink::Scored& s = scored[position[i]];
      of_task[s.task]->emplace_back(stored[i].id, stored[i].item_id, stored[i].sample_index, s.score, s.ending);
    }
    for (auto* v : of_task) {
      if (v != nullptr) order_by_item(*v);
    }
  }
  for (size_t t = 0; t < tasks.size(); ++t) {
    if (tasks[t].rule != nullptr) report.applied.push_back(std::move(applied[t]));
  }

  // Tasks whose default rule depends on what the whole run logged: scored from the workspace.
  TaskRules rest;
  TaskRuleChoice choice(ws, run);
  for (const auto& t : tasks) {
    if (t.rule == nullptr) rest[{t.benchmark, t.task}] = &rule_or_throw(choice.rule(t.benchmark, t.task));
  }
  if (!rest.empty()) {
    ScoringReport others = score_tasks(ws, run, rest, threads, progress);
    report.applied.insert(report.applied.end(), others.applied.begin(), others.applied.end());
  }
  std::sort(report.applied.begin(), report.applied.end(), [](const RuleApplication& a, const RuleApplication& b) {
    return std::tie(a.benchmark, a.task) < std::tie(b.benchmark, b.task);
  });
  return report;
}

}  // namespace caploop
