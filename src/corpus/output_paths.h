// Output paths of the corpus tagger: one place per input under --out, and nothing written outside --out.
//
// Contract: mirror_inputs() gives each input its mirrored path (tag_run.h) and refuses, with kUsage naming both
// inputs and the shared path, two different files that would be written to one place (`../x.jsonl` and
// `__/x.jsonl`, or an absolute and a relative path that mirror alike); the same file named twice is kept once.
// It does no I/O beyond comparing files, so it runs before any work. check_inside_output() throws kIo when an
// output path, once symlinks already present under the output folder are resolved, leads out of it.
#pragma once

#include <filesystem>
#include <vector>

namespace caploop::corpus {

struct MirroredInput {
  std::filesystem::path input;
  std::filesystem::path mirrored;  // relative to the output folder
};

// `inputs` sorted as list_corpus_inputs() returns them; the result keeps that order.
std::vector<MirroredInput> mirror_inputs(const std::vector<std::filesystem::path>& inputs);

void check_inside_output(const std::filesystem::path& out_dir, const std::filesystem::path& path);

}  // namespace caploop::corpus
