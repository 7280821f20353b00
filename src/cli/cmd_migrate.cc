// caploop migrate: convert an older workspace to the current schema (what every writing command does on open).
#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "cli/command.h"
#include "store/sqlite.h"
#include "store/workspace_db.h"

namespace caploop::cli {
namespace {

int stored_version(const std::string& path) {
  Database db(path, OpenMode::kReadOnly);
  Statement has_meta(db, "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'");
  if (!has_meta.step()) return 0;
  Statement st(db, "SELECT value FROM meta WHERE key='schema_version'");
  return st.step() ? std::atoi(st.str(0).c_str()) : 0;
}

void setup(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "migrate",
      "convert the workspace (the --db file) to this caploop's schema in one transaction; read commands refuse an "
      "older workspace, writing commands convert it themselves");
  cmd->callback([] {
    const auto& g = global_options();
    int before = stored_version(g.db_path);
    { WorkspaceDb ws(g.db_path, WorkspaceAccess::kWrite); }
    if (before != kWorkspaceSchemaVersion) {
      Database db(g.db_path, OpenMode::kReadWrite);
      db.exec("VACUUM");  // gives the pages of the dropped tables back to the file system
    }
    if (before == kWorkspaceSchemaVersion) {
      fmt::print("workspace {} already has schema version {}\n", g.db_path, kWorkspaceSchemaVersion);
    } else {
      std::string steps = std::to_string(before);  // each version it went through: "2 to 3 to 4"
      for (int v = before == 0 ? kWorkspaceSchemaVersion : before + 1; v <= kWorkspaceSchemaVersion; ++v) {
        steps += " to " + std::to_string(v);
      }
      fmt::print("workspace {} converted from schema version {}\n", g.db_path, steps);
    }
  });
}

CommandRegistration reg(15, setup);

}  // namespace
}  // namespace caploop::cli
