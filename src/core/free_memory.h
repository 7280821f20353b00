// Returning freed memory to the operating system at a point where a command knows its large buffers are gone (so
// that what it allocates next does not raise its peak resident memory on top of pages the allocator keeps).
//
// Contract: return_free_memory() asks the allocator in use to give back the pages it holds free: mimalloc's
// mi_collect when the program is linked with mimalloc (the caploop program is: CMakeLists.txt, CAPLOOP_MIMALLOC),
// else glibc's malloc_trim. Never frees memory in use; safe to call from any thread; costs a walk over the
// allocator's free pages.
#pragma once

namespace caploop {

void return_free_memory();

}  // namespace caploop
