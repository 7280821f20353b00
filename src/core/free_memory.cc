#include "core/free_memory.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

// Declared weak: resolved only when the program links mimalloc (the library itself does not depend on it).
extern "C" void mi_collect(bool force) __attribute__((weak));

namespace caploop {

void return_free_memory() {
  if (mi_collect != nullptr) {
    mi_collect(true);
    return;
  }
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}

}  // namespace caploop
