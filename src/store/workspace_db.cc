#include "store/workspace_db.h"

#include <fmt/format.h>

#include "core/error.h"
#include "store/json_text.h"
#include "store/score_rows_function.h"
#include "store/workspace_migration.h"

namespace caploop {

namespace {

// Schema 3 (docs/workspace.md). Texts are stored once by content (texts.digest: XXH3-128 of the bytes); a body
// of type TEXT is the text itself, a BLOB is a zstd frame made with dictionaries.id = dictionary (NULL: none).
const char* kSchemaV3 = R"SQL(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  model TEXT NOT NULL DEFAULT '',
  checkpoint TEXT NOT NULL DEFAULT '',
  harness TEXT NOT NULL DEFAULT '',
  max_new_tokens INTEGER,
  stop_sequences TEXT NOT NULL DEFAULT '[]',
  temperature REAL,
  top_p REAL,
  do_sample INTEGER,
  repeats INTEGER,
  extra_json TEXT NOT NULL DEFAULT '{}');
CREATE TABLE IF NOT EXISTS dictionaries(
  id INTEGER PRIMARY KEY,
  benchmark TEXT NOT NULL,
  task TEXT NOT NULL,
  body BLOB NOT NULL,
  UNIQUE(benchmark, task));
CREATE TABLE IF NOT EXISTS texts(
  id INTEGER PRIMARY KEY,
  digest BLOB NOT NULL UNIQUE,
  dictionary INTEGER REFERENCES dictionaries(id),
  body NOT NULL);
CREATE TABLE IF NOT EXISTS stored_items(
  id INTEGER PRIMARY KEY,
  benchmark TEXT NOT NULL,
  task TEXT NOT NULL,
  source_id TEXT NOT NULL,
  question_text INTEGER NOT NULL REFERENCES texts(id),
  metadata_text INTEGER NOT NULL REFERENCES texts(id),
  content_hash TEXT NOT NULL DEFAULT '',
  UNIQUE(benchmark, task, source_id));
CREATE TABLE IF NOT EXISTS stored_run_items(
  run_id INTEGER NOT NULL REFERENCES runs(id),
  item_id INTEGER NOT NULL REFERENCES stored_items(id),
  prompt_text INTEGER NOT NULL REFERENCES texts(id),
  reference_text INTEGER NOT NULL REFERENCES texts(id),
  PRIMARY KEY(run_id, item_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stored_responses(
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  item_id INTEGER NOT NULL REFERENCES stored_items(id),
  sample_index INTEGER NOT NULL,
  dictionary INTEGER REFERENCES dictionaries(id),
  body NOT NULL,
  n_tokens INTEGER,
  finish_reason TEXT,
  UNIQUE(run_id, item_id, sample_index));
CREATE TABLE IF NOT EXISTS run_tasks(
  run_id INTEGER NOT NULL REFERENCES runs(id),
  benchmark TEXT NOT NULL,
  task TEXT NOT NULL,
  harness_metrics TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY(run_id, benchmark, task)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS filtered_values(
  response_id INTEGER NOT NULL REFERENCES stored_responses(id),
  position INTEGER NOT NULL,
  filter TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY(response_id, position)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS scores(
  response_id INTEGER NOT NULL REFERENCES stored_responses(id),
  rule TEXT NOT NULL,
  rule_version INTEGER NOT NULL,
  found INTEGER NOT NULL,
  answer TEXT NOT NULL,
  correct INTEGER NOT NULL,
  ending TEXT NOT NULL,
  ending_evidence TEXT NOT NULL,
  ran_on INTEGER NOT NULL,
  truncated INTEGER NOT NULL,
  repetitive INTEGER NOT NULL,
  PRIMARY KEY(rule, response_id)) WITHOUT ROWID;
)SQL";

// Schema 4 keeps scores packed (store/score_set.h): per run, rule, benchmark and task, one row per batch written.
// Formatted with the schema ("" or "temp.") and the run's reference clause (none in a TEMP copy, whose parent would be
// looked up in temp).
const char* kScoreSetsTable = R"SQL(
CREATE TABLE IF NOT EXISTS {}score_sets(
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL{},
  rule TEXT NOT NULL,
  benchmark TEXT NOT NULL,
  task TEXT NOT NULL,
  chunk INTEGER NOT NULL,
  rule_version INTEGER NOT NULL,
  n_scores INTEGER NOT NULL,
  body BLOB NOT NULL,
  UNIQUE(run_id, rule, benchmark, task, chunk));
)SQL";

// The scores as a row per (response, rule), as schema 3 stored them: `create` is "CREATE VIEW IF NOT EXISTS" (in the
// file) or "CREATE TEMP VIEW IF NOT EXISTS", `sets` the score_sets table read.
std::string scores_view_sql(std::string_view create, std::string_view sets) {
  return fmt::format(
      "{} scores AS SELECT u.response_id AS response_id, s.rule AS rule, s.rule_version AS rule_version, "
      "u.found AS found, u.answer AS answer, u.correct AS correct, u.ending AS ending, u.ending_evidence AS "
      "ending_evidence, u.ran_on AS ran_on, u.truncated AS truncated, u.repetitive AS repetitive FROM {} s, "
      "caploop_score_rows(s.body) u;",
      create, sets);
}

// What queries read: the tables of schema 2 by name, texts decoded only where a query selects them (a view's
// unused columns cost nothing: SQLite flattens the view into the query).
const char* kViews = R"SQL(
CREATE TEMP VIEW IF NOT EXISTS items AS SELECT i.id AS id, i.benchmark AS benchmark, i.task AS task,
  i.source_id AS source_id,
  (SELECT caploop_text(t.dictionary, t.body) FROM texts t WHERE t.id = i.question_text) AS question,
  (SELECT caploop_text(t.dictionary, t.body) FROM texts t WHERE t.id = i.metadata_text) AS metadata_json,
  i.content_hash AS content_hash FROM main.stored_items i;
CREATE TEMP VIEW IF NOT EXISTS run_items AS SELECT ri.run_id AS run_id, ri.item_id AS item_id,
  (SELECT caploop_text(t.dictionary, t.body) FROM texts t WHERE t.id = ri.prompt_text) AS prompt,
  (SELECT caploop_text(t.dictionary, t.body) FROM texts t WHERE t.id = ri.reference_text) AS reference,
  ri.prompt_text AS prompt_text, ri.reference_text AS reference_text FROM main.stored_run_items ri;
CREATE TEMP VIEW IF NOT EXISTS responses AS SELECT r.id AS id, r.run_id AS run_id, r.item_id AS item_id,
  r.sample_index AS sample_index, caploop_text(r.dictionary, r.body) AS text, caploop_text_size(r.body) AS n_bytes,
  r.n_tokens AS n_tokens, r.finish_reason AS finish_reason FROM main.stored_responses r;
)SQL";

// Schema version 2 adds these; a read-only open of a version-1 file gets them as empty TEMP tables.
const char* kHarnessTables = R"SQL(
CREATE TABLE IF NOT EXISTS harness_metrics(
  response_id INTEGER NOT NULL REFERENCES responses(id),
  position INTEGER NOT NULL,
  metric TEXT NOT NULL,
  value REAL,
  PRIMARY KEY(response_id, position)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS harness_aggregates(
  run_id INTEGER NOT NULL REFERENCES runs(id),
  benchmark TEXT NOT NULL,
  task TEXT NOT NULL,
  metric TEXT NOT NULL,
  value REAL,
  stderr REAL,
  PRIMARY KEY(run_id, benchmark, task, metric)) WITHOUT ROWID;
)SQL";

}  // namespace

namespace {

// caploop_text(dictionary, body): the text a stored body holds (TEXT as it is, BLOB decompressed).
void sql_text(sqlite3_context* ctx, int, sqlite3_value** argv) {
  auto* codec = static_cast<TextCodec*>(sqlite3_user_data(ctx));
  sqlite3_value* body = argv[1];
  int type = sqlite3_value_type(body);
  if (type == SQLITE_NULL) return sqlite3_result_null(ctx);
  if (type != SQLITE_BLOB) return sqlite3_result_value(ctx, body);
  std::string_view bytes(static_cast<const char*>(sqlite3_value_blob(body)),
                         static_cast<size_t>(sqlite3_value_bytes(body)));
  int64_t dictionary = sqlite3_value_type(argv[0]) == SQLITE_NULL ? 0 : sqlite3_value_int64(argv[0]);
  try {
    std::string text = codec->decode(bytes, false, dictionary);
    sqlite3_result_text64(ctx, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  } catch (const std::exception& e) {
    sqlite3_result_error(ctx, e.what(), -1);
  }
}

// caploop_text_size(body): the byte length of the text a stored body holds, without decompressing it.
void sql_text_size(sqlite3_context* ctx, int, sqlite3_value** argv) {
  auto* codec = static_cast<TextCodec*>(sqlite3_user_data(ctx));
  sqlite3_value* body = argv[0];
  int type = sqlite3_value_type(body);
  if (type == SQLITE_NULL) return sqlite3_result_null(ctx);
  if (type != SQLITE_BLOB) return sqlite3_result_int64(ctx, sqlite3_value_bytes(body));
  std::string_view bytes(static_cast<const char*>(sqlite3_value_blob(body)),
                         static_cast<size_t>(sqlite3_value_bytes(body)));
  try {
    sqlite3_result_int64(ctx, codec->decoded_size(bytes, false));
  } catch (const std::exception& e) {
    sqlite3_result_error(ctx, e.what(), -1);
  }
}

bool has_table(Database& db, const char* name, const char* schema = "main") {
  Statement st(db, fmt::format("SELECT 1 FROM {}.sqlite_master WHERE type='table' AND name=?", schema).c_str());
  st.bind(1, std::string_view(name));
  return st.step();
}

bool has_view(Database& db, const char* name, const char* schema) {
  Statement st(db, fmt::format("SELECT 1 FROM {}.sqlite_master WHERE type='view' AND name=?", schema).c_str());
  st.bind(1, std::string_view(name));
  return st.step();
}

}  // namespace

WorkspaceDb::WorkspaceDb(const std::string& path, bool create)
    : WorkspaceDb(path, create ? WorkspaceAccess::kCreate : WorkspaceAccess::kWrite) {}

WorkspaceDb::WorkspaceDb(const std::string& path, WorkspaceAccess access)
    : db_(path, access == WorkspaceAccess::kRead    ? OpenMode::kReadOnly
                : access == WorkspaceAccess::kWrite ? OpenMode::kReadWrite
                                                    : OpenMode::kCreate),
      codec_([this](int64_t id) -> std::optional<std::string> {
        Statement st(db_, "SELECT body FROM main.dictionaries WHERE id = ?");
        st.bind(1, id);
        if (!st.step()) return std::nullopt;
        return std::string(st.blob(0));
      }) {
  db_.exec("PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;");
  const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  if (sqlite3_create_function_v2(db_.handle(), "caploop_text", 2, flags, &codec_, sql_text, nullptr, nullptr,
                                 nullptr) != SQLITE_OK ||
      sqlite3_create_function_v2(db_.handle(), "caploop_text_size", 1, flags, &codec_, sql_text_size, nullptr, nullptr,
                                 nullptr) != SQLITE_OK) {
    db_.fail("register the text functions");
  }
  register_score_rows_function(db_.handle());
  if (access == WorkspaceAccess::kRead) {
    int version = stored_schema_version();
    if (version == 0) {
      throw Error(ErrorKind::kStore,
                  fmt::format("'{}' is an empty database, not yet a caploop workspace (run `caploop init`)", path));
    }
    if (!has_table(db_, "stored_responses")) {  // schema 1 or 2
      throw Error(ErrorKind::kStore,
                  fmt::format("workspace '{}' has schema version {}, older than this caploop reads ({}); convert it "
                              "once with `caploop --db {} migrate` (read commands never write the workspace)",
                              path, version, kWorkspaceSchemaVersion, path));
    }
    // A version-1 file lacks the harness tables: empty TEMP ones read the same (`caploop init` adds them).
    if (version < 2) {
      std::string temp = kHarnessTables;
      for (size_t at; (at = temp.find("CREATE TABLE")) != std::string::npos;) temp.replace(at, 12, "CREATE TEMP TABLE");
      db_.exec(temp.c_str());
    }
    // Schema 3 kept a row per score: read as it is through a TEMP copy packed into score sets.
    if (!has_table(db_, "score_sets")) {
      db_.exec(fmt::format(fmt::runtime(kScoreSetsTable), "temp.", "").c_str());
      pack_score_rows(*this, "temp.score_sets");
    }
    create_views();
    return;
  }
  // WAL: readers see the last committed state while a write transaction runs, and never wait for it.
  db_.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
  apply_schema();
  create_views();
}

void WorkspaceDb::create_views() { db_.exec(kViews); }

int WorkspaceDb::stored_schema_version() {
  bool has_meta = false;
  {
    Statement st(db_, "SELECT 1 FROM main.sqlite_master WHERE type='table' AND name='meta'");
    has_meta = st.step();
  }
  if (!has_meta) {
    Statement st(db_, "SELECT count(*) FROM main.sqlite_master WHERE type='table'");
    st.step();
    if (st.int64(0) > 0) {
      throw Error(ErrorKind::kStore, fmt::format("'{}' is an SQLite database but not a caploop workspace", db_.path()));
    }
    return 0;
  }
  Statement st(db_, "SELECT value FROM main.meta WHERE key='schema_version'");
  int version = st.step() ? std::atoi(st.str(0).c_str()) : 0;
  if (version > kWorkspaceSchemaVersion) {
    throw Error(ErrorKind::kStore,
                fmt::format("workspace '{}' has schema version {}, newer than this caploop knows ({}); "
                            "upgrade caploop",
                            db_.path(), version, kWorkspaceSchemaVersion));
  }
  return version;
}

void WorkspaceDb::apply_schema() {
  // Only a new or older file is written: opening a current workspace for writing changes nothing by itself.
  if (stored_schema_version() == kWorkspaceSchemaVersion) return;
  Transaction tx(db_);
  if (stored_schema_version() == kWorkspaceSchemaVersion) return;  // another process migrated it meanwhile
  db_.exec(kHarnessTables);
  // A workspace of schema 1 or 2 keeps its data in items, run_items and responses: converted in this transaction.
  const bool legacy = has_table(db_, "responses");
  db_.exec(kSchemaV3);
  if (legacy) migrate_legacy_tables(*this);
  // Schema 3 to 4: the score rows packed into score sets; `scores` becomes a view of them.
  db_.exec(fmt::format(fmt::runtime(kScoreSetsTable), "", " REFERENCES runs(id)").c_str());
  if (has_table(db_, "scores")) {
    pack_score_rows(*this, "main.score_sets");
    db_.exec("DROP TABLE main.scores");
  }
  db_.exec(scores_view_sql("CREATE VIEW IF NOT EXISTS", "score_sets").c_str());
  Statement put(db_, "INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', ?)");
  put.bind(1, std::string_view(std::to_string(kWorkspaceSchemaVersion))).run();
  tx.commit();
}

WorkspaceDb& WorkspaceDb::prepare_score_writes() {
  if (!read_only() || has_view(db_, "scores", "temp")) return *this;
  if (!has_table(db_, "score_sets", "temp")) {
    db_.exec(fmt::format(fmt::runtime(kScoreSetsTable), "temp.", "").c_str());
    db_.exec("INSERT INTO temp.score_sets SELECT * FROM main.score_sets");
  }
  db_.exec(scores_view_sql("CREATE TEMP VIEW IF NOT EXISTS", "temp.score_sets").c_str());
  return *this;
}

static const char* kRunColumns =
    "SELECT r.id, r.name, r.model, r.checkpoint, r.harness, r.max_new_tokens, r.stop_sequences, r.temperature, "
    "r.top_p, r.do_sample, r.repeats, r.extra_json, "
    "(SELECT count(*) FROM main.stored_run_items ri WHERE ri.run_id = r.id), "
    "(SELECT count(*) FROM main.stored_responses rs WHERE rs.run_id = r.id) FROM runs r ";

RunRow WorkspaceDb::read_run(Statement& st) {
  RunRow row;
  row.id = st.int64(0);
  row.info.name = st.str(1);
  row.info.model = st.str(2);
  row.info.checkpoint = st.str(3);
  row.info.harness = st.str(4);
  auto& g = row.info.generation;
  g.max_new_tokens = st.opt_int64(5);
  g.stop_sequences = json_text::parse_string_array(st.text(6));
  g.temperature = st.opt_real(7);
  g.top_p = st.opt_real(8);
  if (!st.is_null(9)) g.do_sample = st.int64(9) != 0;
  g.repeats = st.opt_int64(10);
  g.extra_json = st.str(11);
  row.n_items = st.int64(12);
  row.n_responses = st.int64(13);
  return row;
}

std::optional<RunRow> WorkspaceDb::find_run(const std::string& name) {
  Statement st(db_, (std::string(kRunColumns) + "WHERE r.name = ?").c_str());
  st.bind(1, std::string_view(name));
  if (!st.step()) return std::nullopt;
  return read_run(st);
}

RunRow WorkspaceDb::run_or_throw(const std::string& name) {
  if (auto r = find_run(name)) return *r;
  std::string known;
  for (auto& r : runs()) known += (known.empty() ? "" : ", ") + r.info.name;
  throw Error(ErrorKind::kNotFound, fmt::format("no run named '{}' in workspace '{}' (runs: {})", name, db_.path(),
                                                known.empty() ? "none" : known));
}

std::vector<RunRow> WorkspaceDb::runs() {
  Statement st(db_, (std::string(kRunColumns) + "ORDER BY r.name").c_str());
  std::vector<RunRow> out;
  while (st.step()) out.push_back(read_run(st));
  return out;
}

void WorkspaceDb::delete_run(int64_t run_id) {
  const char* sqls[] = {
      "DELETE FROM score_sets WHERE run_id = ?",
      "DELETE FROM filtered_values WHERE response_id IN (SELECT id FROM stored_responses WHERE run_id = ?)",
      "DELETE FROM harness_metrics WHERE response_id IN (SELECT id FROM stored_responses WHERE run_id = ?)",
      "DELETE FROM harness_aggregates WHERE run_id = ?",
      "DELETE FROM stored_responses WHERE run_id = ?",
      "DELETE FROM stored_run_items WHERE run_id = ?",
      "DELETE FROM run_tasks WHERE run_id = ?",
      "DELETE FROM runs WHERE id = ?",
  };
  for (const char* sql : sqls) {
    Statement st(db_, sql);
    st.bind(1, run_id).run();
  }
  // Texts that only this run used (its prompts and references) go with it; items and their texts stay.
  db_.exec(
      "DELETE FROM texts WHERE id NOT IN (SELECT prompt_text FROM stored_run_items UNION "
      "SELECT reference_text FROM stored_run_items UNION SELECT question_text FROM stored_items UNION "
      "SELECT metadata_text FROM stored_items)");
}

bool WorkspaceDb::another_connection_sees_the_same() const {
  return sqlite3_get_autocommit(db_.handle()) != 0 && !path().empty() && path() != ":memory:";
}

}  // namespace caploop
