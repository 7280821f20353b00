// caploop init: create an empty workspace database.
#include <fmt/format.h>

#include <filesystem>

#include "cli/command.h"
#include "store/workspace_db.h"

namespace caploop::cli {
namespace {

void setup(CLI::App& app) {
  auto* cmd = app.add_subcommand("init", "create an empty workspace (the --db file)");
  cmd->callback([] {
    const auto& g = global_options();
    bool existed = std::filesystem::exists(g.db_path);
    WorkspaceDb ws(g.db_path, /*create=*/true);
    fmt::print("{} workspace {} (schema version {})\n", existed ? "checked" : "created", g.db_path,
               kWorkspaceSchemaVersion);
  });
}

CommandRegistration reg(10, setup);

}  // namespace
}  // namespace caploop::cli
