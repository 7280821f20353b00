// Thin RAII wrappers over the SQLite C API: Database (one connection), Statement (a prepared statement) and
// Transaction (BEGIN ... COMMIT, rolled back if destroyed without commit()).
//
// Contract: every failure throws caploop::Error of kind kStore naming the database file and SQLite's message;
// nothing here prints. A Database is not safe for concurrent use from several threads (use one per thread, or
// serialise). Statements must not outlive their Database. Text is bound and read as UTF-8 bytes, unmodified.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace caploop {

class Database {
 public:
  // Opens (and creates when `create` is true) the database file. Throws kNotFound if it is missing and !create.
  Database(const std::string& path, bool create);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(const char* sql);  // one or more statements without results
  int64_t last_insert_rowid() const;
  int64_t changes() const;
  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_; }

  [[noreturn]] void fail(std::string_view what) const;  // throws kStore with sqlite3_errmsg

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
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
  std::optional<int64_t> opt_int64(int col) const;
  std::optional<double> opt_real(int col) const;
  std::optional<std::string> opt_str(int col) const;

 private:
  Database& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();  // rolls back unless committed
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace caploop
