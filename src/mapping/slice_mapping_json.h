// The JSON form of a slice mapping, as `caploop map --json` prints it (shape in docs/mapping.md):
// {"source": {...}, "mapping": {...}, "slices": [{"id", "tags", "equivalent", "n", "severity", "status",
//  "rules": [{"id", "matched_tag", "category", "weight", "reason"}]}], "categories": [...], "gaps": [...]}.
//
// Contract: writes one JSON object to the writer; a no_data rule has "category": null and "weight": null;
// "gaps" lists the unmapped slices ({"id", "tags", "n"}) in slice order. Deterministic; pure.
#pragma once

#include "core/json_writer.h"
#include "mapping/mapping_rules.h"
#include "mapping/slice_mapping.h"
#include "mapping/weak_slice.h"

namespace caploop {

void write_slice_mapping_json(JsonWriter& out, const WeakSliceList& slices, const MappingRules& rules,
                              const SliceMapping& mapping);

}  // namespace caploop
