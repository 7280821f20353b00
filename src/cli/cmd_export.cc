// caploop export: one row per response of a run (caploop's verdict beside the harness's own metrics), as JSON
// Lines or CSV, to a file (written atomically) or stdout.
#include <fmt/format.h>

#include <thread>

#include "cli/command.h"
#include "core/atomic_file.h"
#include "core/progress.h"
#include "store/workspace_db.h"
#include "workspace/run_export.h"

namespace caploop::cli {
namespace {

struct Options {
  std::string run, rule, format = "jsonl", out;
};

void setup(CLI::App& app) {
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "export",
      "write one row per response of a run: item, task, sample, rule, answer, correct, ending and the "
      "harness's own metrics (JSONL or CSV, for notebooks and pandas)");
  cmd->add_option("--run", opt->run, "the run to export")->required();
  cmd->add_option("--rule", opt->rule, "scoring rule for every benchmark (default: each benchmark's default rule)");
  cmd->add_option("--format", opt->format, "jsonl or csv")->capture_default_str();
  cmd->add_option("--out", opt->out, "output file, written atomically (default: stdout)");
  cmd->callback([opt] {
    ExportRequest req;
    req.run = opt->run;
    if (!opt->rule.empty()) req.rule = opt->rule;
    req.format = parse_export_format(opt->format);
    req.threads = std::max(1u, std::thread::hardware_concurrency());
    WorkspaceDb ws(global_options().db_path, /*create=*/false);
    std::string text = export_run(ws, req, nullptr);
    if (opt->out.empty()) {
      fmt::print("{}", text);
    } else {
      write_file_atomically(opt->out, text);
    }
  });
}

CommandRegistration reg(75, setup);

}  // namespace
}  // namespace caploop::cli
