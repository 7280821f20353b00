// Atomic file output: a result file appears complete or not at all.
//
// Contract: write_file_atomically() writes to "<path>.tmp.<pid>" in the same folder, flushes and fsyncs it,
// then renames it over `path`; on any failure the temporary file is removed and Error(kIo) names the path.
// Parent folders are created. Safe to call from several processes for different paths.
#pragma once

#include <filesystem>
#include <string_view>

namespace caploop {

void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace caploop
