// An OpenCompass work folder of GSM8K written by tests/io/make_opencompass_outputs.py from the real data in
// ../shared/data (see that script for its provenance), generated once per test program into a temporary folder.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "test_support.h"

namespace caploop::testing {

// OUT/outputs/gsm8k_eval with timestamp folders 20260114_090000 and 20260115_100000. Call only after
// REQUIRE_SHARED_DATA().
inline std::filesystem::path opencompass_outputs_dir() {
  static std::unique_ptr<TempDir> dir;
  if (!dir) {
    dir = std::make_unique<TempDir>();
    CommandResult r = run_command({"python3", (source_dir() / "tests" / "io" / "make_opencompass_outputs.py").string(),
                                   shared_data_dir().string(), dir->path().string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
  return dir->path() / "outputs" / "gsm8k_eval";
}

}  // namespace caploop::testing
