// parallel_for: runs one function over the indices 0..n-1 on a few threads and waits for all of them.
//
// Contract: fn(i) is called exactly once for every i in [0, n) (unless a call throws, see below), on at most
// `threads` threads, the calling thread being one of them (threads <= 1 or n <= 1: everything runs on the
// calling thread, in index order). Indices are handed out one at a time in increasing order to whichever
// thread is free, so which thread runs which index, and the order in which calls finish, are unspecified: fn
// must write only to what belongs to index i (slot i of a vector sized beforehand) or synchronise itself.
// Results that depend only on i are therefore the same whatever the thread count.
// If a call throws, no index not yet handed out is started; calls already running finish; then the exception
// of the lowest index that threw is rethrown on the calling thread. parallel_for returns only when no call
// is running.
#pragma once

#include <cstddef>
#include <functional>

namespace caploop {

void parallel_for(size_t n, unsigned threads, const std::function<void(size_t)>& fn);

}  // namespace caploop
