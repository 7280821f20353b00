#include "core/fault_point.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>

namespace caploop {

namespace {

struct FaultSpec {
  std::string name;
  long hit = 1;
};

const FaultSpec* fault_spec() {
  static const FaultSpec* spec = []() -> const FaultSpec* {
    const char* env = std::getenv("CAPLOOP_FAULT_AT");
    if (!env || !*env) return nullptr;
    auto* s = new FaultSpec{env, 1};
    auto colon = s->name.rfind(':');
    if (colon != std::string::npos) {
      char* end = nullptr;
      long n = std::strtol(s->name.c_str() + colon + 1, &end, 10);
      if (end && *end == '\0' && n >= 1) {
        s->hit = n;
        s->name.resize(colon);
      }
    }
    return s;
  }();
  return spec;
}

}  // namespace

void fault_point(std::string_view name) {
  const FaultSpec* spec = fault_spec();
  if (!spec || spec->name != name) return;
  static std::atomic<long> hits{0};
  if (hits.fetch_add(1) + 1 == spec->hit) kill(getpid(), SIGKILL);
}

}  // namespace caploop
