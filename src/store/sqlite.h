// Thin RAII wrappers over the SQLite C API: Database (one connection), Statement (a prepared statement) and
// Transaction (BEGIN ... COMMIT, rolled back if destroyed without commit()).
//
// Contract: every failure throws caploop::Error naming the database file and SQLite's message: kStore in
// general, kIo when the operating system refused (disk full, read-only file or mount, I/O error: exit 6 like
// every other I/O error), kConflict when another process held the write lock longer than the writer wait
// (WriterWait). Nothing here prints: waiting is reported through WriterWait::report.
// A Database opened kReadOnly never writes its file (SQLITE_OPEN_READONLY); when SQLite cannot set up its WAL
// index there (a read-only mount, a full disk) it is opened immutable, which is safe because then no writer can
// change it either. A read-only Database may still write TEMP tables (connection-private, in memory). A Database is not
// safe for concurrent use from several threads (use one per thread, or serialise). Statements must not outlive their
// Database. Text is bound and read as UTF-8 bytes, unmodified.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace caploop {

// How long a connection waits for another process's write lock before giving up, and who hears about it.
// `report(waited, limit)` is called about every two seconds while waiting (never when nobody waits).
struct WriterWait {
  double seconds = 60;
  std::function<void(double waited_seconds, double limit_seconds)> report;
};
// The process-wide wait used by every Database opened afterwards. Until set, `seconds` comes from the
// environment variable CAPLOOP_WAIT (seconds, default 60) and nothing is reported.
void set_writer_wait(WriterWait wait);
const WriterWait& writer_wait();

enum class OpenMode {
  kReadOnly,   // never writes the file; kNotFound if missing
  kReadWrite,  // kNotFound if missing
  kCreate,     // created when missing
};

class Database {
 public:
  Database(const std::string& path, OpenMode mode);
  // Opens (and creates when `create` is true) the database file. Throws kNotFound if it is missing and !create.
  Database(const std::string& path, bool create) : Database(path, create ? OpenMode::kCreate : OpenMode::kReadWrite) {}
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(const char* sql);  // one or more statements without results
  int64_t last_insert_rowid() const;
  int64_t changes() const;
  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_; }
  bool read_only() const { return read_only_; }

  // Throws with sqlite3_errmsg; the kind follows the result code (see the contract above).
  [[noreturn]] void fail(std::string_view what) const;

 private:
  friend int on_database_busy(void* self, int count);
  void open(int flags, const std::string& uri);
  sqlite3* db_ = nullptr;
  std::string path_;
  bool read_only_ = false;
  std::chrono::steady_clock::time_point busy_since_;
  double busy_reported_ = 0;
};

class Statement {
 public:
  Statement(Database& db, const char* sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binding (1-based indices, as SQLite). Bound text is copied by SQLite (SQLITE_TRANSIENT) unless `stable`.
  Statement& bind(int i, int64_t v);
  Statement& bind(int i, double v);
  Statement& bind(int i, std::string_view v);
  Statement& bind_null(int i);
  Statement& bind(int i, const std::optional<int64_t>& v);
  Statement& bind(int i, const std::optional<double>& v);
  Statement& bind(int i, const std::optional<std::string>& v);
  Statement& bind_blob(int i, std::string_view bytes);

  // Advances; returns true while a row is available.
  bool step();
  // Runs a statement that returns no rows (step + reset).
  void run();
  // Like run(), but returns false instead of throwing when a UNIQUE/PRIMARY KEY constraint is violated.
  bool try_run();
  void reset();  // reset and clear bindings

  bool is_null(int col) const;
  int64_t int64(int col) const;
  double real(int col) const;
  std::string_view text(int col) const;  // valid until the next step/reset
  std::string str(int col) const { return std::string(text(col)); }
  bool is_blob(int col) const;
  std::string_view blob(int col) const;  // the bytes of a BLOB (or TEXT) column, valid until the next step/reset
  std::optional<int64_t> opt_int64(int col) const;
  std::optional<double> opt_real(int col) const;
  std::optional<std::string> opt_str(int col) const;

 private:
  Database& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// On a read-only Database the transaction is deferred (BEGIN), so it can write TEMP tables only. A Transaction
// begun inside another one is a savepoint: its commit() keeps its writes for the outer one to commit or undo.
// Sets the connection's page cache to `kib` KiB while it lives; restores the size it had.
class ScopedCacheSize {
 public:
  ScopedCacheSize(Database& db, int64_t kib);
  ~ScopedCacheSize();
  ScopedCacheSize(const ScopedCacheSize&) = delete;
  ScopedCacheSize& operator=(const ScopedCacheSize&) = delete;

 private:
  Database& db_;
  int64_t previous_ = 0;  // as PRAGMA cache_size reports it (negative: KiB)
};

class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();  // rolls back unless committed
  void commit();

 private:
  Database& db_;
  bool nested_ = false;
  bool done_ = false;
};

}  // namespace caploop
