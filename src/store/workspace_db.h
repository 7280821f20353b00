// WorkspaceDb: the embedded SQLite workspace that holds runs, items, responses and scores.
//
// Contract: open() creates the file and schema when asked, or checks the schema version of an existing file
// (a newer version than this build knows is refused with kStore; an older one is migrated in a transaction).
// The schema (docs/workspace.md) keeps raw response text unmodified; scores are stored per response and per
// rule (with the rule's version), so a run can be re-scored without re-ingesting. Every write done through the
// store layer happens inside a Transaction, so a failure leaves the workspace as it was.
// The run catalog (find/list/delete) lives here; writing a run is RunWriter, reading responses is
// ResponseReader, scores are ScoreTable. Not thread-safe: one WorkspaceDb per thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "io/ingest_records.h"
#include "store/sqlite.h"

namespace caploop {

// 2: harness_metrics and harness_aggregates (what the harness itself logged); a version-1 workspace gains the
// two empty tables on open.
inline constexpr int kWorkspaceSchemaVersion = 2;

struct RunRow {
  int64_t id = 0;
  RunInfo info;
  int64_t n_items = 0;
  int64_t n_responses = 0;
};

class WorkspaceDb {
 public:
  WorkspaceDb(const std::string& path, bool create);

  Database& db() { return db_; }
  const std::string& path() const { return db_.path(); }

  std::optional<RunRow> find_run(const std::string& name);
  RunRow run_or_throw(const std::string& name);  // kNotFound listing known run names
  std::vector<RunRow> runs();                     // ordered by name
  // Deletes a run with its responses, scores and per-run item rows (items stay: other runs may share them).
  // Call inside a Transaction.
  void delete_run(int64_t run_id);

 private:
  void apply_schema();
  RunRow read_run(Statement& st);
  Database db_;
};

}  // namespace caploop
