// caploop tag: tag the items of runs with the evaluation taxonomy and report coverage.
#include <fmt/format.h>

#include "cli/command.h"
#include "cli/tagging_options.h"
#include "store/workspace_db.h"
#include "workspace/item_tagging.h"

namespace caploop::cli {
namespace {

struct Options {
  TaggingOptions tagging;
  std::vector<std::string> runs;
  bool json = false;
};

void setup(CLI::App& app) {
  auto opt = std::make_shared<Options>();
  auto* cmd =
      app.add_subcommand("tag", "tag items with the evaluation taxonomy; report which got which tags and which none");
  cmd->add_option("--run", opt->runs, "run whose items to tag (repeatable; default: every run)");
  opt->tagging.add_to(cmd);
  cmd->add_flag("--json", opt->json, "print coverage and every item's tags as JSON");
  cmd->callback([opt] {
    WorkspaceDb ws(global_options().db_path, WorkspaceAccess::kRead);
    auto setup = opt->tagging.load();
    std::vector<int64_t> ids;
    if (opt->runs.empty()) {
      for (const auto& r : ws.runs()) ids.push_back(r.id);
    } else {
      for (const auto& n : opt->runs) ids.push_back(ws.run_or_throw(n).id);
    }
    auto items = tag_items_of_runs(ws, ids, setup->tagger());
    std::vector<TaggedItem> tagged;
    tagged.reserve(items.size());
    for (auto& w : items) tagged.push_back(std::move(w.tagged));
    TagCoverage coverage = TagCoverage::compute(setup->taxonomy(), tagged);
    if (opt->json) {
      fmt::print("{}\n", tag_coverage_json(coverage, tagged));
    } else {
      fmt::print("{}", tag_coverage_text(coverage));
    }
  });
}

CommandRegistration reg(80, setup);

}  // namespace
}  // namespace caploop::cli
