// caploop ingest: import one run from lm-evaluation-harness, OpenCompass, Inspect AI, EvalScope, HELM or generic
// JSON/JSONL output.
#include <fmt/format.h>

#include <thread>

#include "cli/agreement_table.h"
#include "cli/command.h"
#include "core/json_writer.h"
#include "core/progress.h"
#include "workspace/ingest_job.h"
#include "workspace/run_summary_json.h"

namespace caploop::cli {
namespace {

struct Options {
  std::string run, format = "lm-eval", model, checkpoint;
  std::vector<std::string> paths;
  bool replace = false, no_score = false, json = false;
  GenericMapping mapping;
  std::string id, response, responses, finish_reason, n_tokens, task_field, task_regex, task;
};

void setup(CLI::App& app) {
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("ingest", "import one run's per-sample outputs (and score it)");
  cmd->add_option("--run", opt->run, "name of the run in the workspace")->required();
  cmd->add_option("--format", opt->format, "lm-eval, opencompass, inspect, evalscope, helm or generic")
      ->capture_default_str();
  cmd->add_option("paths", opt->paths, "files or folders")->required();
  cmd->add_option("--model", opt->model, "model name (default: from the harness's files)");
  cmd->add_option("--checkpoint", opt->checkpoint, "checkpoint label, e.g. step-143000");
  cmd->add_flag("--replace", opt->replace, "replace an existing run of the same name");
  cmd->add_flag("--no-score", opt->no_score, "do not score with the default rules after importing");
  cmd->add_flag("--json", opt->json, "print JSON");
  auto* g = cmd->add_option_group("generic", "field mapping for --format generic (JSON pointers, RFC 6901)");
  g->add_option("--benchmark", opt->mapping.benchmark, "benchmark of every item (e.g. bbh, gsm8k, math)");
  g->add_option("--records", opt->mapping.records_pointer, "array of records in a .json file (default: root)");
  g->add_option("--id", opt->id, "item id (default: record index in its file)");
  g->add_option("--input", opt->mapping.input_pointer, "prompt or question");
  g->add_option("--response", opt->response, "one response (string)");
  g->add_option("--responses", opt->responses, "array of responses, one sample each");
  g->add_option("--response-text", opt->mapping.response_text_pointer, "text within each element of --responses");
  g->add_option("--target", opt->mapping.target_pointer, "reference answer");
  g->add_option("--finish-reason", opt->finish_reason, "finish reason (string or array per response)");
  g->add_option("--n-tokens", opt->n_tokens, "generated token count (integer or array per response)");
  g->add_option("--task-field", opt->task_field, "task name from the record");
  g->add_option("--task-from-filename", opt->task_regex, "task from the file name: regex with one capture group");
  g->add_option("--task", opt->task, "fixed task name (default: the benchmark)");
  g->add_option("--metadata", opt->mapping.metadata_pointers, "fields kept as item metadata (repeatable)");
  cmd->callback([opt] {
    const auto& gopt = global_options();
    IngestRequest req;
    req.format = parse_ingest_format(opt->format);
    for (const auto& p : opt->paths) req.paths.emplace_back(p);
    req.run.name = opt->run;
    req.run.model = opt->model;
    req.run.checkpoint = opt->checkpoint;
    req.replace = opt->replace;
    req.score_after = !opt->no_score;
    req.threads = std::max(1u, std::thread::hardware_concurrency());
    req.mapping = opt->mapping;
    auto set = [](std::optional<std::string>& dst, const std::string& v) {
      if (!v.empty()) dst = v;
    };
    set(req.mapping.id_pointer, opt->id);
    set(req.mapping.response_pointer, opt->response);
    set(req.mapping.responses_pointer, opt->responses);
    set(req.mapping.finish_reason_pointer, opt->finish_reason);
    set(req.mapping.n_tokens_pointer, opt->n_tokens);
    set(req.mapping.task_pointer, opt->task_field);
    set(req.mapping.task_file_regex, opt->task_regex);
    set(req.mapping.task, opt->task);
    WorkspaceDb ws(gopt.db_path, /*create=*/true);
    Progress progress("ingest " + opt->run, 0, !gopt.quiet);
    IngestResult res = ingest_run(ws, req, &progress);
    progress.finish();
    if (opt->json) {
      JsonWriter w(true);
      w.begin_object().field("run", res.run).field("items", res.items).field("responses", res.responses);
      w.key("scored").begin_array();
      for (const auto& a : res.scoring.applied) {
        w.begin_object().field("benchmark", a.benchmark).field("task", a.task).field("rule", a.rule);
        w.field("responses", a.responses).field("correct", a.correct).end_object();
      }
      w.end_array().key("notes").value(res.notes);
      if (res.summary) {
        w.key("tasks").begin_array();
        for (const auto& t : res.summary->rows) {
          if (t.task == "*") continue;
          w.begin_object().field("benchmark", t.benchmark).field("task", t.task).field("rule", t.rule);
          w.field("accuracy", t.accuracy);
          write_agreement_fields(w, t);
          w.end_object();
        }
        w.end_array().key("warnings");
        write_summary_warnings(w, *res.summary);
      }
      w.end_object();
      fmt::print("{}\n", w.str());
      return;
    }
    fmt::print("ingested run {}: {} items, {} responses\n", res.run, res.items, res.responses);
    for (const auto& n : res.notes) fmt::print("  note: {}\n", n);
    for (const auto& a : res.scoring.applied) {
      fmt::print("  {}{}{}: scored with {} v{}: {}/{} correct\n", a.benchmark, a.task.empty() ? "" : "/", a.task,
                 a.rule, a.rule_version, a.correct, a.responses);
    }
    if (res.summary) print_agreement(*res.summary);
  });
}

CommandRegistration reg(20, setup);

}  // namespace
}  // namespace caploop::cli
