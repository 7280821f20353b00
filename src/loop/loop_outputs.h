// LoopOutputs: the files `caploop loop` wrote into its output folder, so that it removes only those.
//
// Contract: the list lives in OUT/loop-outputs.txt (one path relative to OUT per line, sorted, written atomically).
// record() adds files before they are written (a killed loop still knows what it may have left) and saves the list;
// remove_recorded_under() removes the recorded files under a folder, except those named in `keep`, then the
// folders below it that this left empty; it never removes a folder that still holds anything (a user's file beside
// the loop's outputs survives) and never follows a symbolic link. Not thread-safe.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace caploop {

inline constexpr const char* kLoopOutputsFile = "loop-outputs.txt";

class LoopOutputs {
 public:
  explicit LoopOutputs(std::filesystem::path out);  // reads OUT/loop-outputs.txt when present

  void record(const std::vector<std::filesystem::path>& files);  // paths under OUT, spelled as OUT / ...
  void remove_recorded_under(const std::filesystem::path& folder, const std::set<std::string>& keep = {});
  const std::set<std::string>& files() const { return files_; }

 private:
  std::string relative(const std::filesystem::path& file) const;
  void save() const;
  std::filesystem::path out_;
  std::set<std::string> files_;  // generic paths relative to out_
};

}  // namespace caploop
