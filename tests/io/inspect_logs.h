// Inspect AI logs of GSM8K written by tests/io/make_inspect_logs.py from the real data in ../shared/data (see
// that script for their provenance), generated once per test program into a temporary folder.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "test_support.h"

namespace caploop::testing {

// The folder holding gsm8k_epochs1.json, gsm8k_epochs4.eval and gsm8k_epochs1_deflate.eval; fails the test
// when the generator fails. Call only after REQUIRE_SHARED_DATA().
inline const std::filesystem::path& inspect_logs_dir() {
  static std::unique_ptr<TempDir> dir;
  if (!dir) {
    dir = std::make_unique<TempDir>();
    CommandResult r = run_command({"python3", (source_dir() / "tests" / "io" / "make_inspect_logs.py").string(),
                                   shared_data_dir().string(), dir->path().string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
  return dir->path();
}

}  // namespace caploop::testing
