// caploop score: (re-)score a stored run with a named rule, a rule per task pattern, or each task's default rule.
#include <fmt/format.h>

#include <thread>

#include "cli/command.h"
#include "core/json_writer.h"
#include "core/progress.h"
#include "eval/rule_registry.h"
#include "store/workspace_db.h"
#include "workspace/run_scoring.h"

namespace caploop::cli {
namespace {

struct Options {
  std::vector<std::string> runs;
  std::vector<std::string> rules;
  unsigned threads = 0;
  bool json = false;
  bool list_rules = false;
};

void print_rules() {
  for (const ScoringRule* r : all_rules()) {
    fmt::print("{} (v{})\n  {}\n", r->name(), r->version(), r->description());
  }
  fmt::print(
      "harness:<metric>,<filter> (v1)\n  The harness's own per-record metric, e.g. "
      "harness:exact_match,strict-match: correct when it logged a value >= 0.5.\n");
}

void setup(CLI::App& app) {
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("score", "score stored runs with a scoring rule (stores results per rule)");
  cmd->add_option("--run", opt->runs, "run name (repeatable); default: every run");
  cmd->add_option("--rule", opt->rules,
                  "RULE for the whole run, or PATTERN=RULE for the tasks PATTERN names ('math/*=math-minerva', "
                  "'bbh=bbh-first'; repeatable, the last match wins); default: each task's default rule "
                  "(see --list-rules)");
  cmd->add_option("--threads", opt->threads, "worker threads (default: all cores)");
  cmd->add_flag("--json", opt->json, "print JSON");
  cmd->add_flag("--list-rules", opt->list_rules, "list the scoring rules and exit");
  cmd->callback([opt] {
    if (opt->list_rules) return print_rules();
    const auto& g = global_options();
    WorkspaceDb ws(g.db_path, false);
    std::vector<RunRow> runs;
    if (opt->runs.empty()) {
      runs = ws.runs();
    } else {
      for (const auto& name : opt->runs) runs.push_back(ws.run_or_throw(name));
    }
    std::optional<std::string> rule;
    std::vector<TaskRule> per_task;
    for (const std::string& r : opt->rules) {
      if (r.find('=') != std::string::npos) {
        per_task.push_back(parse_task_rule(r));
      } else {
        rule_or_throw(r);
        rule = r;
      }
    }
    unsigned threads = opt->threads ? opt->threads : std::max(1u, std::thread::hardware_concurrency());
    JsonWriter w(true);
    w.begin_object().key("runs").begin_array();
    for (const auto& run : runs) {
      Progress progress("score " + run.info.name, static_cast<uint64_t>(run.n_responses), !g.quiet);
      ScoringReport rep = score_run_by_task(ws, run, rule, per_task, threads, &progress);
      progress.finish();
      w.begin_object().field("run", rep.run).key("rules").begin_array();
      for (const auto& a : rep.applied) {
        w.begin_object()
            .field("benchmark", a.benchmark)
            .field("task", a.task)
            .field("rule", a.rule)
            .field("rule_version", a.rule_version)
            .field("responses", a.responses)
            .field("correct", a.correct)
            .end_object();
        if (!opt->json) {
          fmt::print("{}: {}/{} scored {} responses with {} v{}: {} correct ({:.1f}%)\n", rep.run, a.benchmark, a.task,
                     a.responses, a.rule, a.rule_version, a.correct,
                     a.responses ? 100.0 * static_cast<double>(a.correct) / static_cast<double>(a.responses) : 0.0);
        }
      }
      w.end_array().end_object();
    }
    w.end_array().end_object();
    if (opt->json) fmt::print("{}\n", w.str());
  });
}

CommandRegistration reg(40, setup);

}  // namespace
}  // namespace caploop::cli
