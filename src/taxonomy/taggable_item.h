// TaggableItem and ItemTags: what the tagger reads about an evaluation item, and what it assigns to it.
//
// TaggableItem is a plain view-free value: the store and workspace layers fill it from an ItemRecord
// (io/ingest_records.h). ItemTags holds, per taxonomy axis, the sorted unique values assigned to the item
// (the values as assigned; their ancestors are implied, see value_is_under in eval_taxonomy.h) and the plain
// dimensions useful for slicing (always `benchmark` and `task`; `level` and others when a rule sets them).
// An axis with no value is empty, never absent: untagged items stay in every report. Plain values, no sharing.
#pragma once

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "taxonomy/eval_taxonomy.h"

namespace caploop {

struct TaggableItem {
  std::string benchmark;             // e.g. "bbh", "gsm8k", "math"
  std::string task;                  // e.g. "date_understanding"; equals benchmark when there are no subtasks
  std::string source_id;             // the item's id as its source gave it
  std::string text;                  // the question (or the prompt when the question is not separable)
  std::string reference;             // the reference answer as text
  std::string metadata_json = "{}";  // source fields as a JSON object (MATH: {"type", "level"})
};

struct ItemTags {
  std::array<std::vector<std::string>, 4> axes;  // indexed by Axis; each sorted and unique
  std::map<std::string, std::string> dims;       // plain dimensions: benchmark, task, level, ...

  const std::vector<std::string>& values(Axis axis) const { return axes[static_cast<size_t>(axis)]; }
  std::vector<std::string>& values(Axis axis) { return axes[static_cast<size_t>(axis)]; }
  // True when some value on the axis equals `ancestor` or lies below it.
  bool has_under(Axis axis, std::string_view ancestor) const;
  // Adds a value keeping the axis sorted and unique.
  void add(Axis axis, std::string value);
};

}  // namespace caploop
