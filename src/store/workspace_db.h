// WorkspaceDb: the embedded SQLite workspace that holds runs, items, responses and scores.
//
// Contract: opening for writing creates the file and schema when asked, or checks the schema version of an
// existing file (a newer version than this build knows is refused with kStore; an older one is migrated in a
// transaction; a current one is not written at all) and switches the file to WAL mode, so readers see the last
// committed state while a write runs. Opening for reading (WorkspaceAccess::kRead) never writes the file and never
// waits for a writer: an older schema is read as it is (tables it lacks appear as empty TEMP tables; the score rows
// of schema 3 are packed into a TEMP copy of score_sets), and scores a read command must compute (a rule not yet
// stored) go to a connection-private copy of the score sets (prepare_score_writes), gone when the WorkspaceDb
// closes. Writing anything else through a read-only
// WorkspaceDb fails with kIo.
// The schema (docs/workspace.md) keeps raw response text unmodified (compressed, TextCodec), and prompts,
// questions, references and item metadata once each, content-addressed (TextStore); read commands see them through
// TEMP views named as the tables of schema 2 (items, run_items, responses), which decode the texts only when a
// query selects them. Scores are stored per response and per rule (with the rule's version), packed per task
// (store/score_table.h), so a run can be re-scored without re-ingesting.
// A workspace of schema 1, 2 or 3 is converted to 4 in one transaction by any command that opens it for writing
// (store/workspace_migration.h); opened for reading, one of schema 1 or 2 is refused (kStore) with the command that
// converts it, one of schema 3 is read as said above. Every
// write done through the store layer happens inside a Transaction, so a failure leaves the workspace as it was. The run
// catalog (find/list/delete) lives here; writing a run is RunWriter, reading responses is ResponseReader, scores are
// ScoreTable. Not thread-safe: one WorkspaceDb per thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "io/ingest_records.h"
#include "store/sqlite.h"
#include "store/text_codec.h"

namespace caploop {

// 2: harness_metrics and harness_aggregates (what the harness itself logged); a version-1 workspace gains the
// two empty tables on open.
// 3: the compact store: texts (content-addressed), dictionaries, stored_items, stored_run_items, stored_responses
// in place of items, run_items, responses (read through TEMP views of those names).
// 4: scores packed per run, rule, benchmark and task (score_sets, store/score_set.h); `scores` is a view of them.
inline constexpr int kWorkspaceSchemaVersion = 4;

struct RunRow {
  int64_t id = 0;
  RunInfo info;
  int64_t n_items = 0;
  int64_t n_responses = 0;
};

enum class WorkspaceAccess {
  kRead,    // read commands: SQLITE_OPEN_READONLY, no schema or meta writes
  kWrite,   // an existing workspace
  kCreate,  // created when missing
};

class WorkspaceDb {
 public:
  WorkspaceDb(const std::string& path, WorkspaceAccess access);
  WorkspaceDb(const std::string& path, bool create);  // kCreate or kWrite

  Database& db() { return db_; }
  TextCodec& codec() { return codec_; }
  const std::string& path() const { return db_.path(); }
  bool read_only() const { return db_.read_only(); }
  // Whether a second connection opened on path() now sees what this one sees: a file (not an in-memory
  // database) and no transaction open here (whose uncommitted rows only this connection sees). Commands that read
  // on a second connection beside this one (summary's harness metrics, diagnose's tagging) check it first.
  bool another_connection_sees_the_same() const;

  // Before writing scores: on a read-only workspace, shadows the score sets (and the scores view) with a TEMP copy
  // (once), so the scores written afterwards live in memory for this connection only. Returns *this.
  WorkspaceDb& prepare_score_writes();

  std::optional<RunRow> find_run(const std::string& name);
  RunRow run_or_throw(const std::string& name);  // kNotFound listing known run names
  std::vector<RunRow> runs();                    // ordered by name
  // Deletes a run with its responses, scores and per-run item rows (items stay: other runs may share them).
  // Call inside a Transaction.
  void delete_run(int64_t run_id);

 private:
  int stored_schema_version();  // 0 for an empty file; throws for a foreign or newer one
  void apply_schema();
  void create_views();
  RunRow read_run(Statement& st);
  Database db_;
  TextCodec codec_;
};

}  // namespace caploop
