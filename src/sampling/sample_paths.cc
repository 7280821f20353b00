#include "sampling/sample_paths.h"

namespace caploop::sampling {

namespace {

bool strip_suffix(std::string& s, std::string_view suffix) {
  if (!s.ends_with(suffix) || s.size() == suffix.size()) return false;
  s.resize(s.size() - suffix.size());
  return true;
}

}  // namespace

std::string sample_output_name(const std::string& mirrored_shard_path) {
  std::string name = mirrored_shard_path;
  if (!strip_suffix(name, ".gz")) strip_suffix(name, ".zst");
  if (!strip_suffix(name, ".jsonl")) strip_suffix(name, ".json");
  return name + ".jsonl.zst";
}

SamplePaths sample_paths(const std::filesystem::path& out_dir, const std::string& mirrored_shard_path) {
  SamplePaths p;
  p.output_name = sample_output_name(mirrored_shard_path);
  p.output = out_dir / p.output_name;
  p.manifest = out_dir / (p.output_name + ".manifest.jsonl");
  p.done_mark = out_dir / (p.output_name + ".sample.json");
  return p;
}

std::filesystem::path temp_path(const std::filesystem::path& final_path) {
  return std::filesystem::path(final_path.string() + ".tmp");
}

}  // namespace caploop::sampling
