#include "cli/command.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "store/sqlite.h"

namespace caploop::cli {

namespace {
std::vector<std::pair<int, CommandSetup>>& registry() {
  static std::vector<std::pair<int, CommandSetup>> r;
  return r;
}
}  // namespace

GlobalOptions& global_options() {
  static GlobalOptions g;
  return g;
}

void apply_writer_wait(const GlobalOptions& options) {
  WriterWait wait = writer_wait();
  if (options.wait_seconds >= 0) wait.seconds = options.wait_seconds;
  if (!options.quiet) {
    wait.report = [](double waited, double limit) {
      fmt::print(stderr,
                 "waiting for another process that is writing the workspace ({:.0f} s of at most {:g} s; "
                 "--wait SECONDS)\n",
                 waited, limit);
      std::fflush(stderr);
    };
  }
  set_writer_wait(std::move(wait));
}

CommandRegistration::CommandRegistration(int order, CommandSetup setup) {
  registry().emplace_back(order, std::move(setup));
}

std::vector<CommandSetup> registered_commands() {
  auto r = registry();
  std::stable_sort(r.begin(), r.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<CommandSetup> out;
  for (auto& [order, setup] : r) out.push_back(setup);
  return out;
}

}  // namespace caploop::cli
