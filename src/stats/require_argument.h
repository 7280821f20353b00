// require_argument: how the statistics layer rejects arguments outside a function's domain.
//
// Contract: when `ok` is false, throws caploop::Error of kind kInput whose message names the function and
// states the violated condition, with the parameter's name as the error's field (there is no file or line:
// these are in-memory values). Statistics functions never return silently wrong numbers for bad arguments.
// Thread-safe: a pure function.
#pragma once

#include <string>

namespace caploop::stats_detail {

void require_argument(bool ok, const char* function, const char* parameter, const std::string& condition);

}  // namespace caploop::stats_detail
