// Test fixture for the planner: a small real corpus (MATH test problems with their worked solutions, and
// data-juicer corpus samples) tagged once per test program with the built-in data taxonomy, plus weak slices
// and diagnosis files built by hand.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "mapping/weak_slice.h"

namespace caploop::testing {

// Tags the corpus on first use (about 1.5 MB) and returns the tag output folder (holding *.stats.json).
const std::filesystem::path& tagged_corpus_stats_dir();
// The folder of the documents that were tagged.
const std::filesystem::path& tagged_corpus_docs_dir();

// "task:1" ... "task:n".
std::vector<std::string> numbered_items(const std::string& task, int n);

// A weak slice with the given tags, n, severity and baseline accuracy.
WeakSlice weak_slice(std::string id, std::vector<std::string> tags, int64_t n, double severity, double accuracy);

// A WeakSliceList as read from a diagnosis with verdict data_ruled_in.
WeakSliceList diagnosis_slices(std::vector<WeakSlice> slices);

// The text of a diagnosis JSON file (caploop diagnose --json shape) with one slice per entry.
std::string diagnosis_json(const std::string& verdict, const std::string& cause, const std::vector<WeakSlice>& slices);

}  // namespace caploop::testing
