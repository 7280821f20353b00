// caploop: the command-line program. A thin layer: parses arguments, calls the library, prints results.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "cli/command.h"
#include "core/error.h"

int main(int argc, char** argv) {
  using namespace caploop;
  CLI::App app{
      "caploop: close the loop between evaluating a language model and fixing its pre-training data.\n"
      "Exit codes: 0 ok, 1 a check failed, 2 usage, 3 bad input, 4 not found, 5 conflict, 6 I/O, 7 database."};
  app.set_version_flag("--version", "caploop 0.1.0");
  app.option_defaults()->always_capture_default();
  auto& g = cli::global_options();
  app.add_option("--db", g.db_path, "workspace database file")->capture_default_str();
  app.add_flag("-q,--quiet", g.quiet, "no progress output");
  app.add_option("--wait", g.wait_seconds,
                 "seconds a command that writes the workspace waits for another writer before giving up "
                 "(default: CAPLOOP_WAIT or 60)");
  app.parse_complete_callback([&g] { cli::apply_writer_wait(g); });
  app.require_subcommand(1);
  for (auto& setup : cli::registered_commands()) setup(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  } catch (const Error& e) {
    std::fflush(stdout);
    fmt::print(stderr, "error: {}\n", e.what());
    return e.exit_code();
  } catch (const std::exception& e) {
    std::fflush(stdout);
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
  return 0;
}
