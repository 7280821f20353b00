// Killing a caploop run mid-way, for the tests that check that a resumed run gives the bytes of a clean one.
// Header-only: included by the test files that need it.
//
// The kill is deterministic: the child runs with CAPLOOP_FAULT_AT set (core/fault_point.h), so it sends itself
// SIGKILL at a named place in its work (e.g. after the 9th batch written), whatever the machine's load.
#pragma once

#include <signal.h>

#include <filesystem>
#include <string>
#include <vector>

#include "test_support.h"

namespace caploop::testing {

// Runs the caploop binary with `args` and CAPLOOP_FAULT_AT=`fault` (output captured, not checked). True when it
// died of SIGKILL at the fault point before `last_done` existed, i.e. mid-run; false when it finished, failed
// otherwise, or had already written `last_done`.
inline bool run_caploop_killed_at(const std::vector<std::string>& args, const std::string& fault,
                                  const std::filesystem::path& last_done) {
  std::vector<std::string> argv = {CAPLOOP_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  CommandResult r = run_command(argv, {{"CAPLOOP_FAULT_AT", fault}});
  return r.exit_code == 128 + SIGKILL && !std::filesystem::exists(last_done);
}

}  // namespace caploop::testing
