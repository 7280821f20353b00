#include "store/sqlite.h"

#include <fmt/format.h>

#include <filesystem>

#include "core/error.h"

namespace caploop {

namespace {
// Process-wide SQLite settings, applied once before the first connection: no memory statistics (they take a
// global mutex on every allocation, which shows on bulk inserts).
void configure_sqlite_once() {
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return sqlite3_initialize() == SQLITE_OK;
  }();
  (void)configured;
}
}  // namespace

Database::Database(const std::string& path, bool create) : path_(path) {
  configure_sqlite_once();
  if (!create && path != ":memory:" && !std::filesystem::exists(path)) {
    throw Error(ErrorKind::kNotFound,
                fmt::format("no workspace database at '{}' (run `caploop init` or `caploop ingest` first)", path));
  }
  int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(ErrorKind::kStore, fmt::format("cannot open database '{}': {}", path, msg));
  }
  sqlite3_busy_timeout(db_, 10000);
  sqlite3_extended_result_codes(db_, 1);
}

Database::~Database() {
  if (db_) sqlite3_close_v2(db_);
}

void Database::fail(std::string_view what) const {
  throw Error(ErrorKind::kStore, fmt::format("database '{}': {}: {}", path_, what, sqlite3_errmsg(db_)));
}

void Database::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw Error(ErrorKind::kStore, fmt::format("database '{}': {}", path_, msg));
  }
}

int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int64_t Database::changes() const { return sqlite3_changes64(db_); }

Statement::Statement(Database& db, const char* sql) : db_(db) {
  if (sqlite3_prepare_v3(db.handle(), sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK) {
    db.fail(fmt::format("prepare '{}'", sql));
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int i, int64_t v) {
  if (sqlite3_bind_int64(stmt_, i, v) != SQLITE_OK) db_.fail("bind");
  return *this;
}
Statement& Statement::bind(int i, double v) {
  if (sqlite3_bind_double(stmt_, i, v) != SQLITE_OK) db_.fail("bind");
  return *this;
}
Statement& Statement::bind(int i, std::string_view v) {
  if (sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8) != SQLITE_OK) db_.fail("bind");
  return *this;
}
Statement& Statement::bind_null(int i) {
  if (sqlite3_bind_null(stmt_, i) != SQLITE_OK) db_.fail("bind");
  return *this;
}
Statement& Statement::bind(int i, const std::optional<int64_t>& v) { return v ? bind(i, *v) : bind_null(i); }
Statement& Statement::bind(int i, const std::optional<double>& v) { return v ? bind(i, *v) : bind_null(i); }
Statement& Statement::bind(int i, const std::optional<std::string>& v) {
  return v ? bind(i, std::string_view(*v)) : bind_null(i);
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_.fail("step");
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

bool Statement::try_run() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
    reset();
    return true;
  }
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    reset();
    return false;
  }
  db_.fail("step");
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
int64_t Statement::int64(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::real(int col) const { return sqlite3_column_double(stmt_, col); }
std::string_view Statement::text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(n)) : std::string_view();
}
std::optional<int64_t> Statement::opt_int64(int col) const {
  return is_null(col) ? std::nullopt : std::optional<int64_t>(int64(col));
}
std::optional<double> Statement::opt_real(int col) const {
  return is_null(col) ? std::nullopt : std::optional<double>(real(col));
}
std::optional<std::string> Statement::opt_str(int col) const {
  return is_null(col) ? std::nullopt : std::optional<std::string>(str(col));
}

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!done_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace caploop
