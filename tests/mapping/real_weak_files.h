// Real diagnosis and weakness-list JSON files for the mapping tests, made once per test program by the caploop
// binary from the real BBH chain-of-thought outputs of code-davinci-002 (six tasks, 1,500 items): run "base"
// is the outputs as published; run "cand" gives a wrong answer (another item's target) in three of every four
// items of date_understanding and object_counting, so those two tasks are the weak slices.
//
// Contract: real_weak_files() ingests both runs into a scratch workspace and writes the files on first use;
// it returns nullptr when ../shared/data is missing (callers skip). Not thread-safe (tests run serially).
#pragma once

#include <filesystem>
#include <string>

namespace caploop::testing {

struct RealWeakFiles {
  std::filesystem::path db;
  std::filesystem::path diagnosis;   // diagnose --baseline base --candidate cand: data_ruled_in
  std::filesystem::path unchanged;   // diagnose --baseline base --candidate base: no weak slices
  std::filesystem::path weaknesses;  // weaknesses --run cand --json
};

inline constexpr int kFlipEvery = 4;  // items i with i % 4 != 0 of a weak task are flipped
const RealWeakFiles* real_weak_files();

}  // namespace caploop::testing
