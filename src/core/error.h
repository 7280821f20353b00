// Error: the one way caploop reports a failure that a user must act on.
//
// Contract: every error carries a kind (which decides the process exit code), a message that says what is
// wrong in plain words, and, when the failure is about input, where it is: file, 1-based line (0 when the
// file as a whole is at fault) and the field or key involved. Errors are thrown as exceptions of this type
// and caught once, by the command-line layer, which prints `error: <file>:<line>: field '<field>': <message>`
// and exits with exit_code(). Code below the CLI never prints errors itself and never swallows them.
// Thread safety: an Error is an immutable value.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace caploop {

// Where in the user's input a problem is. Empty file means "not about a file".
struct SourceLocation {
  std::string file;
  int64_t line = 0;   // 1-based; 0 = the file as a whole
  std::string field;  // JSON pointer, field name or TOML key; empty if not about one field

  std::string to_string() const;  // "file:line: field 'x'" with the parts that are set
};

enum class ErrorKind {
  kUsage,     // bad command-line arguments (exit 2)
  kInput,     // malformed or inconsistent input data (exit 3)
  kNotFound,  // a named run, item, rule or file does not exist (exit 4)
  kConflict,  // input contradicts what the workspace already holds (exit 5)
  kIo,        // the operating system refused a read or write (exit 6)
  kStore,     // the embedded database failed (exit 7)
  kInternal,  // a bug in caploop (exit 70)
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string message, SourceLocation where = {});

  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  const SourceLocation& where() const { return where_; }

  // Process exit code for this kind (see ErrorKind).
  int exit_code() const;

 private:
  ErrorKind kind_;
  std::string message_;
  SourceLocation where_;
};

// Shorthands for the common kinds.
[[noreturn]] void throw_input_error(std::string message, SourceLocation where);
[[noreturn]] void throw_usage_error(std::string message);

}  // namespace caploop
