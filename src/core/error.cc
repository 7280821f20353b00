#include "core/error.h"

#include <fmt/format.h>

namespace caploop {

std::string SourceLocation::to_string() const {
  std::string out = file;
  if (!file.empty() && line > 0) out += fmt::format(":{}", line);
  if (!field.empty()) {
    if (!out.empty()) out += ": ";
    out += fmt::format("field '{}'", field);
  }
  return out;
}

static std::string compose(const std::string& message, const SourceLocation& where) {
  std::string loc = where.to_string();
  return loc.empty() ? message : loc + ": " + message;
}

Error::Error(ErrorKind kind, std::string message, SourceLocation where)
    : std::runtime_error(compose(message, where)),
      kind_(kind),
      message_(std::move(message)),
      where_(std::move(where)) {}

int Error::exit_code() const {
  switch (kind_) {
    case ErrorKind::kUsage:
      return 2;
    case ErrorKind::kInput:
      return 3;
    case ErrorKind::kNotFound:
      return 4;
    case ErrorKind::kConflict:
      return 5;
    case ErrorKind::kIo:
      return 6;
    case ErrorKind::kStore:
      return 7;
    case ErrorKind::kInternal:
      return 70;
  }
  return 1;
}

void throw_input_error(std::string message, SourceLocation where) {
  throw Error(ErrorKind::kInput, std::move(message), std::move(where));
}

void throw_usage_error(std::string message) { throw Error(ErrorKind::kUsage, std::move(message)); }

}  // namespace caploop
