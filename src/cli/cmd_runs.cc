// caploop runs: list the runs of a workspace with their generation settings.
#include <fmt/format.h>

#include "cli/command.h"
#include "cli/text_table.h"
#include "store/workspace_db.h"
#include "workspace/runs_json.h"

namespace caploop::cli {
namespace {

struct Options {
  bool json = false;
};

void setup(CLI::App& app) {
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("runs", "list the runs in the workspace");
  cmd->add_flag("--json", opt->json, "print JSON instead of a table");
  cmd->callback([opt] {
    WorkspaceDb ws(global_options().db_path, WorkspaceAccess::kRead);
    auto runs = ws.runs();
    if (opt->json) return fmt::print("{}\n", runs_to_json(runs));
    TextTable t({"run", "model", "harness", "items", "responses", "max_new_tokens", "stop"});
    for (const auto& r : runs) {
      const auto& g = r.info.generation;
      std::string stops;
      for (const auto& s : g.stop_sequences) {
        std::string shown;
        for (char c : s) shown += c == '\n' ? std::string("\\n") : std::string(1, c);
        stops += (stops.empty() ? "" : " ") + fmt::format("\"{}\"", shown);
      }
      t.add_row({r.info.name, r.info.model.empty() ? "-" : r.info.model, r.info.harness, std::to_string(r.n_items),
                 std::to_string(r.n_responses), g.max_new_tokens ? std::to_string(*g.max_new_tokens) : "-",
                 stops.empty() ? "-" : stops});
    }
    fmt::print("{}", t.render());
  });
}

CommandRegistration reg(30, setup);

}  // namespace
}  // namespace caploop::cli
