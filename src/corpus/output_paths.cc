#include "corpus/output_paths.h"

#include <fmt/format.h>

#include <map>

#include "core/error.h"
#include "corpus/tag_run.h"

namespace caploop::corpus {

namespace fs = std::filesystem;

std::vector<MirroredInput> mirror_inputs(const std::vector<fs::path>& inputs) {
  std::vector<MirroredInput> out;
  std::map<fs::path, fs::path> first_of;  // mirrored path -> the input that takes it
  for (const fs::path& input : inputs) {
    fs::path mirrored = mirrored_path(input);
    auto [at, fresh] = first_of.emplace(mirrored, input);
    if (!fresh) {
      std::error_code ec;
      if (fs::equivalent(at->second, input, ec)) continue;  // one file, named twice
      throw_usage_error(
          fmt::format("inputs '{}' and '{}' would both be tagged into '{}' under --out; pass one "
                      "of them, or give the folders so that their paths differ",
                      at->second.string(), input.string(), mirrored.string()));
    }
    out.push_back({input, std::move(mirrored)});
  }
  return out;
}

void check_inside_output(const fs::path& out_dir, const fs::path& path) {
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(out_dir, ec);
  if (ec) throw Error(ErrorKind::kIo, fmt::format("cannot resolve: {}", ec.message()), {out_dir.string(), 0, ""});
  const fs::path resolved = fs::weakly_canonical(path, ec);
  if (ec) throw Error(ErrorKind::kIo, fmt::format("cannot resolve: {}", ec.message()), {path.string(), 0, ""});
  const fs::path rel = resolved.lexically_relative(root);
  if (rel.empty() || *rel.begin() == "..") {
    throw Error(ErrorKind::kIo,
                fmt::format("a symbolic link under the output folder leads out of it (to {}); caploop does not "
                            "write through it: remove the link",
                            resolved.string()),
                {path.string(), 0, ""});
  }
}

}  // namespace caploop::corpus
