#include "stats/require_argument.h"

#include "core/error.h"

namespace caploop::stats_detail {

void require_argument(bool ok, const char* function, const char* parameter, const std::string& condition) {
  if (ok) return;
  throw Error(ErrorKind::kInput, std::string(function) + ": argument '" + parameter + "' must satisfy " + condition,
              SourceLocation{"", 0, parameter});
}

}  // namespace caploop::stats_detail
