// AnnotationSet: external tag annotations (e.g. from an LLM annotator) keyed by item, read from JSONL.
//
// One JSON object per line: {"benchmark", "task", "id" (string or integer), "tags": {"<axis>": [values]},
// "mode": "override" | "extend"} (mode defaults to "extend"; other top-level fields such as "rationale" are
// ignored). Every value is checked against the taxonomy. `extend` adds the values to what the rules assigned;
// `override` replaces the rule values on each axis the annotation names (an empty list clears that axis) and
// leaves the other axes alone. Loading throws caploop::Error kInput naming file, line and field for malformed
// JSON, a missing or mistyped field, an unknown axis or value, an unknown mode, or a second annotation for the
// same item. A loaded set is immutable and safe to share between threads.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "taxonomy/eval_taxonomy.h"
#include "taxonomy/taggable_item.h"

namespace caploop {

enum class AnnotationMode { kExtend, kOverride };

struct ItemAnnotation {
  std::array<std::vector<std::string>, 4> tags;  // per axis, as given
  std::array<bool, 4> names_axis{};              // whether the annotation named the axis at all
  AnnotationMode mode = AnnotationMode::kExtend;
  SourceLocation origin;  // file and line it came from
};

class AnnotationSet {
 public:
  static AnnotationSet parse(std::string_view jsonl, const std::string& file_name, const EvalTaxonomy& taxonomy);
  static AnnotationSet load(const std::filesystem::path& path, const EvalTaxonomy& taxonomy);

  // The annotation for an item, or nullptr.
  const ItemAnnotation* find(std::string_view benchmark, std::string_view task, std::string_view id) const;
  size_t size() const { return by_item_.size(); }

 private:
  std::map<std::string, ItemAnnotation, std::less<>> by_item_;
};

// Applies one annotation to the tags the rules produced (see the modes above).
void apply_annotation(const ItemAnnotation& annotation, ItemTags& tags);

}  // namespace caploop
