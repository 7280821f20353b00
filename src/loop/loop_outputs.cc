#include "loop/loop_outputs.h"

#include <fmt/format.h>

#include <fstream>

#include "core/atomic_file.h"
#include "core/error.h"

namespace caploop {

namespace fs = std::filesystem;

LoopOutputs::LoopOutputs(fs::path out) : out_(std::move(out)) {
  std::ifstream in(out_ / kLoopOutputsFile);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) files_.insert(line);
  }
}

std::string LoopOutputs::relative(const fs::path& file) const {
  const fs::path rel = file.lexically_normal().lexically_relative(out_.lexically_normal());
  if (rel.empty() || *rel.begin() == "..") {
    throw Error(ErrorKind::kInternal, fmt::format("loop output {} is not under {}", file.string(), out_.string()));
  }
  return rel.generic_string();
}

void LoopOutputs::record(const std::vector<fs::path>& files) {
  size_t before = files_.size();
  for (const fs::path& f : files) files_.insert(relative(f));
  if (files_.size() != before) save();
}

void LoopOutputs::remove_recorded_under(const fs::path& folder, const std::set<std::string>& keep) {
  const std::string prefix = relative(folder) + "/";
  const fs::path base = out_ / relative(folder);
  std::set<fs::path> parents;
  bool changed = false;
  for (auto it = files_.begin(); it != files_.end();) {
    if (!it->starts_with(prefix) || keep.contains(it->substr(prefix.size()))) {
      ++it;
      continue;
    }
    const fs::path file = out_ / fs::path(*it);
    std::error_code ec;
    auto status = fs::symlink_status(file, ec);
    // Only files (or a link itself): a folder standing where a file was written is someone else's.
    if (!ec && !fs::is_directory(status)) fs::remove(file, ec);
    for (fs::path p = file.parent_path(); p.string().size() > base.string().size(); p = p.parent_path())
      parents.insert(p);
    it = files_.erase(it);
    changed = true;
  }
  // Deepest first; fs::remove removes a folder only when it is empty.
  for (auto p = parents.rbegin(); p != parents.rend(); ++p) {
    std::error_code ec;
    if (fs::is_directory(fs::symlink_status(*p, ec)) && fs::is_empty(*p, ec)) fs::remove(*p, ec);
  }
  if (changed) save();
}

void LoopOutputs::save() const {
  std::string text;
  for (const std::string& f : files_) text += f + "\n";
  write_file_atomically(out_ / kLoopOutputsFile, text);
}

}  // namespace caploop
