// Fault points: named places where a test can make the process die as `kill -9` would, deterministically.
//
// Contract: when the environment variable CAPLOOP_FAULT_AT is `NAME` or `NAME:N`, the N-th time (default the
// first) the process passes fault_point("NAME") it sends itself SIGKILL: no destructor, no flush, no cleanup runs,
// exactly as an outside kill at that instant. Without the variable a fault point costs one comparison. Counting
// is per process and thread-safe. Used by tests of what a killed command leaves behind (docs/workspace.md).
#pragma once

#include <string_view>

namespace caploop {

void fault_point(std::string_view name);

}  // namespace caploop
