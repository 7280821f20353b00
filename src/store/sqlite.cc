#include "store/sqlite.h"

#include <fmt/format.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <thread>

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

WriterWait& writer_wait_storage() {
  static WriterWait wait = [] {
    WriterWait w;
    if (const char* env = std::getenv("CAPLOOP_WAIT")) {
      char* end = nullptr;
      double v = std::strtod(env, &end);
      if (end != env && *end == '\0' && v >= 0) w.seconds = v;
    }
    return w;
  }();
  return wait;
}

// The error kind for an SQLite result code: the operating system's refusals are I/O errors, a write lock held
// too long is a conflict with the other process, the rest are database errors.
ErrorKind kind_of(int code) {
  switch (code & 0xff) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      return ErrorKind::kIo;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return ErrorKind::kConflict;
    default:
      return ErrorKind::kStore;
  }
}

// Why the operating system refused a write to the database at `path`, as a parenthesised hint ("" if unknown).
std::string why_not_writable(const std::string& path) {
  std::filesystem::path p(path);
  std::filesystem::path folder = p.has_parent_path() ? p.parent_path() : std::filesystem::path(".");
  struct statvfs fs {};
  if (::statvfs(folder.c_str(), &fs) == 0) {
    if (fs.f_flag & ST_RDONLY) {
      return " (the workspace is on a read-only file system; read commands work, this one writes)";
    }
    if (fs.f_bavail == 0) return " (the disk is full; the workspace is as it was before this command)";
  }
  if (::access(path.c_str(), W_OK) != 0 || ::access(folder.c_str(), W_OK) != 0) {
    return " (the workspace file or its folder is read-only; read commands work, this one writes)";
  }
  return "";
}

[[noreturn]] void throw_sqlite(int code, const std::string& path, std::string_view what, std::string_view msg) {
  std::string text = what.empty() ? fmt::format("database '{}': {}", path, msg)
                                  : fmt::format("database '{}': {}: {}", path, what, msg);
  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) {
    text += fmt::format(
        " (another process is writing the workspace; gave up after waiting {:g} s: set --wait "
        "SECONDS or CAPLOOP_WAIT to wait longer)",
        writer_wait().seconds);
  } else if (kind_of(code) == ErrorKind::kIo) {
    std::string why = why_not_writable(path);
    if (why.empty() && (code & 0xff) == SQLITE_READONLY) why = " (the workspace was opened read-only)";
    text += why;
  }
  throw Error(kind_of(code), std::move(text));
}

// A file: URI for `path` (percent-encoding the characters a URI gives meaning to).
std::string file_uri(const std::string& path, std::string_view query) {
  std::string out = "file:";
  for (char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  out += '?';
  out += query;
  return out;
}

}  // namespace

void set_writer_wait(WriterWait wait) { writer_wait_storage() = std::move(wait); }
const WriterWait& writer_wait() { return writer_wait_storage(); }

int on_database_busy(void* self, int count) {
  auto* d = static_cast<Database*>(self);
  auto now = std::chrono::steady_clock::now();
  if (count == 0) {
    d->busy_since_ = now;
    d->busy_reported_ = 0;
  }
  double waited = std::chrono::duration<double>(now - d->busy_since_).count();
  const WriterWait& w = writer_wait();
  if (waited >= w.seconds) return 0;
  if (w.report && waited - d->busy_reported_ >= 2.0) {
    d->busy_reported_ = waited;
    w.report(waited, w.seconds);
  }
  double left = w.seconds - waited;
  std::this_thread::sleep_for(std::chrono::duration<double>(std::min(0.02, left)));
  return 1;
}

Database::Database(const std::string& path, OpenMode mode) : path_(path), read_only_(mode == OpenMode::kReadOnly) {
  configure_sqlite_once();
  if (mode != OpenMode::kCreate && path != ":memory:" && !std::filesystem::exists(path)) {
    throw Error(ErrorKind::kNotFound,
                fmt::format("no workspace database at '{}' (run `caploop init` or `caploop ingest` first)", path));
  }
  if (!read_only_) {
    open(SQLITE_OPEN_READWRITE | (mode == OpenMode::kCreate ? SQLITE_OPEN_CREATE : 0), path);
    return;
  }
  open(SQLITE_OPEN_READONLY, path);
  // Reading a WAL database needs its shared index (<file>-shm). Where SQLite can neither find nor create it (a
  // read-only mount, a full disk) nobody can be writing either, so the file alone is the committed state.
  int rc = sqlite3_exec(db_, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK) return;
  int code = rc & 0xff;
  if (code != SQLITE_CANTOPEN && code != SQLITE_READONLY && code != SQLITE_IOERR && code != SQLITE_FULL) {
    fail("open");
  }
  sqlite3_close_v2(db_);
  db_ = nullptr;
  open(SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, file_uri(path, "immutable=1"));
}

void Database::open(int flags, const std::string& name) {
  int rc = sqlite3_open_v2(name.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw_sqlite(rc, path_, "cannot open", msg);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_handler(db_, on_database_busy, this);
}

Database::~Database() {
  if (db_) sqlite3_close_v2(db_);
}

void Database::fail(std::string_view what) const {
  throw_sqlite(sqlite3_extended_errcode(db_), path_, what, sqlite3_errmsg(db_));
}

void Database::exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw_sqlite(rc, path_, "", msg);
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

Statement& Statement::bind_blob(int i, std::string_view bytes) {
  if (sqlite3_bind_blob64(stmt_, i, bytes.data(), bytes.size(), SQLITE_TRANSIENT) != SQLITE_OK) db_.fail("bind");
  return *this;
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
bool Statement::is_blob(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_BLOB; }
std::string_view Statement::blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string_view(static_cast<const char*>(p), static_cast<size_t>(n)) : std::string_view();
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

Transaction::Transaction(Database& db) : db_(db), nested_(sqlite3_get_autocommit(db.handle()) == 0) {
  if (nested_) {
    db_.exec("SAVEPOINT caploop_nested");
  } else {
    db_.exec(db_.read_only() ? "BEGIN" : "BEGIN IMMEDIATE");
  }
}

Transaction::~Transaction() {
  if (done_) return;
  const char* undo = nested_ ? "ROLLBACK TO caploop_nested; RELEASE caploop_nested" : "ROLLBACK";
  sqlite3_exec(db_.handle(), undo, nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.exec(nested_ ? "RELEASE caploop_nested" : "COMMIT");
  done_ = true;
}

ScopedCacheSize::ScopedCacheSize(Database& db, int64_t kib) : db_(db) {
  Statement q(db_, "PRAGMA cache_size");
  if (q.step()) previous_ = q.int64(0);
  db_.exec(("PRAGMA cache_size=" + std::to_string(-kib)).c_str());
}

ScopedCacheSize::~ScopedCacheSize() {
  if (previous_ != 0)
    sqlite3_exec(db_.handle(), ("PRAGMA cache_size=" + std::to_string(previous_)).c_str(), nullptr, nullptr, nullptr);
}

}  // namespace caploop
