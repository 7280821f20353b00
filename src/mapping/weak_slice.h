// WeakSlice: one capability slice the evaluation found weak, as the data side needs it: its tags, its items and
// how large and how severe the weakness is. Read from either a diagnosis (`caploop diagnose --json`, the slices
// of a data_ruled_in verdict: delta < 0) or a weakness list (`caploop weaknesses --json`).
//
// Equivalent tag sets ("equivalent") and the operation decomposition ("operations": {"split", "parts": [{"tags",
// "n", "deficit", "q_value", "deficit_share"}]}) are read when present, from either kind of file.
// Contract: read_weak_slices() accepts both files (told apart by their top-level keys), keeps the slices in
// file order and numbers them "S1", "S2", ... in that order. severity is the accuracy lost, in [0, 1]: for a
// diagnosis -delta of the slice, for a weakness list its deficit (complement accuracy minus accuracy).
// baseline_accuracy is the accuracy the hypotheses start from: the candidate's accuracy on the slice for a
// diagnosis (the model that will be retrained), the slice accuracy for a weakness list. A diagnosis whose
// verdict is not data_ruled_in yields no slices and source.verdict says why (the caller decides whether that
// is an error). Malformed JSON or missing fields throw caploop::Error (kInput) naming the file and field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "diagnose/diagnosis_verdict.h"

namespace caploop {

// One operation part of a weak slice (slices/operation_decomposition.h): the items of the slice that exercise
// one set of operations, and their share of the slice's loss.
struct WeakSlicePart {
  std::vector<std::string> tags;  // {"operation=counting.object_counting"}; empty: items without an operation
  int64_t n = 0;
  double deficit = 0.0;
  double q_value = 1.0;
  double deficit_share = 0.0;  // 0..1
};

struct WeakSlice {
  std::string id;                  // "S1", "S2", ... in file order
  std::vector<std::string> tags;   // {"operation=counting.case_enumeration", "background=..."}
  int64_t n = 0;                   // items in the slice
  double severity = 0.0;           // accuracy lost, 0..1
  double baseline_accuracy = 0.0;  // accuracy to improve on, 0..1
  double q_value = 1.0;
  std::vector<std::string> items;  // "<task>:<id>", as in the source file
  // Other tag sets that select exactly the same items (a diagnosis slice's "equivalent"; empty for a weakness
  // list): background=calendar is often the same slice as operation=temporal.date_arithmetic.
  std::vector<std::vector<std::string>> equivalent;
  // Its decomposition along the operation axis ("operations" of both files; empty for hand-made files without
  // it) and whether it is a union of parts whose accuracies differ significantly (to be read as its parts).
  std::vector<WeakSlicePart> operations;
  bool split = false;
};

struct WeakSliceSource {
  std::string file;
  std::string kind;                // "diagnosis" or "weaknesses"
  std::optional<Verdict> verdict;  // diagnosis verdict (none for a weakness list)
  std::optional<Cause> cause;      // diagnosis cause when data_ruled_out (none otherwise)
  std::string baseline;            // run names when the file records them ("" otherwise)
  std::string candidate;
  std::string checksum;  // FNV-1a 64 of the file's bytes, 16 hex digits
};

struct WeakSliceList {
  WeakSliceSource source;
  std::vector<WeakSlice> slices;
};

WeakSliceList read_weak_slices(const std::string& path);
WeakSliceList parse_weak_slices(const std::string& json_text, const std::string& file_name);

}  // namespace caploop
