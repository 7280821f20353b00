// Command: how a git-style subcommand plugs into the `caploop` program.
//
// Each subcommand lives in its own src/cli/cmd_<name>.cc and registers itself with a static
// CommandRegistration, giving an order (for --help listing) and a setup function. The setup function adds a
// CLI11 subcommand to the app, declares its options, and sets its callback. Callbacks throw caploop::Error
// on failure; main() turns that into a message on stderr and the error's exit code. Global options shared by
// all commands (--db, --quiet, --wait) live in GlobalOptions, filled before any callback runs.
// Read-only commands open the workspace with WorkspaceAccess::kRead (never written, never waiting for a writer);
// commands that write open it for writing and wait up to `--wait` seconds for another writer, saying so on stderr.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace caploop::cli {

struct GlobalOptions {
  std::string db_path = "caploop.db";
  bool quiet = false;        // no progress output
  double wait_seconds = -1;  // --wait: how long a write waits for another writer (<0: CAPLOOP_WAIT or 60)
};

// Applies --wait and --quiet to the store's writer wait (store/sqlite.h): report on stderr while waiting.
void apply_writer_wait(const GlobalOptions& options);

GlobalOptions& global_options();

using CommandSetup = std::function<void(CLI::App& app)>;

struct CommandRegistration {
  CommandRegistration(int order, CommandSetup setup);
};

// All registered setups, sorted by order.
std::vector<CommandSetup> registered_commands();

}  // namespace caploop::cli
