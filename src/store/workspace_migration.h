// Workspace migration: converts the tables of schema 1 and 2 (items, run_items, responses holding their texts
// inline) to the compact store of schema 3, keeping every id, so scores, filter values and harness metrics stay
// attached to their responses.
//
// Contract: migrate_legacy_tables() runs inside the caller's Transaction (WorkspaceDb::apply_schema), after the
// schema-3 tables were created; it copies items, run_items and responses into stored_items, stored_run_items and
// stored_responses (texts content-addressed and compressed exactly as RunWriter stores them, dictionaries made
// from each task's first item) and drops the old tables. Reading the workspace afterwards gives the same texts,
// byte for byte. legacy_schema_v2_sql() is schema 2 as caploop created it, for tests that build old workspaces.
// pack_score_rows() converts the score rows of schema 3 (main.scores, a row per response and rule) into packed score
// sets (store/score_set.h) in `target` (main.score_sets or a TEMP copy): one set per run, rule, benchmark, task and
// rule version, each task's samples in item and sample order; rows of responses no longer stored are left out.
// It reads main.scores and writes only `target`.
#pragma once

#include <string_view>

namespace caploop {

class WorkspaceDb;

void migrate_legacy_tables(WorkspaceDb& ws);
void pack_score_rows(WorkspaceDb& ws, std::string_view target);

const char* legacy_schema_v2_sql();

}  // namespace caploop
