// caploop report: a self-contained HTML report over runs (tables, endings, heat maps, paired comparison).
#include <fmt/format.h>

#include <thread>

#include "cli/command.h"
#include "cli/tagging_options.h"
#include "core/atomic_file.h"
#include "store/workspace_db.h"
#include "workspace/item_tagging.h"
#include "workspace/runs_report.h"

namespace caploop::cli {
namespace {

struct Options {
  TaggingOptions tagging;
  std::vector<std::string> runs;
  std::string rule, out = "caploop-report.html", title = "caploop report";
};

void setup(CLI::App& app) {
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("report", "write a self-contained HTML report over runs (first run = baseline)");
  cmd->add_option("--run", opt->runs, "run (repeatable; the second is compared against the first)")->required();
  cmd->add_option("--rule", opt->rule, "scoring rule (default: each benchmark's default)");
  cmd->add_option("--out", opt->out, "output HTML file")->capture_default_str();
  cmd->add_option("--title", opt->title, "report title");
  opt->tagging.add_to(cmd);
  cmd->callback([opt] {
    WorkspaceDb ws(global_options().db_path, WorkspaceAccess::kRead);
    auto tagging = opt->tagging.load();
    RunsReportRequest req;
    req.runs = opt->runs;
    if (!opt->rule.empty()) req.rule = opt->rule;
    req.threads = std::max(1u, std::thread::hardware_concurrency());
    req.title = opt->title;
    std::string html = build_runs_report(ws, req, tagging->tagger());
    write_file_atomically(opt->out, html);
    fmt::print("wrote {} ({} bytes)\n", opt->out, html.size());
  });
}

CommandRegistration reg(90, setup);

}  // namespace
}  // namespace caploop::cli
