// write_diagnosis_json: the `--json` form of a Diagnosis (documented field by field in docs/diagnosis.md).
//
// Writes one object: verdict, cause (null unless data_ruled_out), reason, places_to_look, required_items (null
// unless inconclusive for lack of power), slices (tags, equivalent, n, base_accuracy, cand_accuracy, delta,
// excess_delta, ci [lo, hi], p_value, q_value, items) and evidence (overall test, McNemar b and c, loss
// decomposition, recovery, heterogeneity, power, comparability checks, endings, the checks applied and the
// thresholds in force). Deterministic: same Diagnosis, same bytes. Non-finite numbers are written as null.
#pragma once

#include "core/json_writer.h"
#include "diagnose/verdict.h"

namespace caploop {

void write_diagnosis_json(JsonWriter& out, const Diagnosis& diagnosis);

}  // namespace caploop
