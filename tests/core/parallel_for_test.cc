#include "core/parallel_for.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace caploop {
namespace {

TEST(ParallelForTest, CallsEveryIndexExactlyOnceWhateverTheThreadCount) {
  for (unsigned threads : {0u, 1u, 2u, 7u, 64u}) {
    std::vector<std::atomic<int>> calls(1000);
    parallel_for(calls.size(), threads, [&](size_t i) { ++calls[i]; });
    for (size_t i = 0; i < calls.size(); ++i) {
      ASSERT_EQ(calls[i].load(), 1) << "index " << i << ", " << threads << " threads";
    }
  }
}

TEST(ParallelForTest, NothingToDoCallsNothing) {
  bool called = false;
  parallel_for(0, 4, [&](size_t) { called = true; });
  EXPECT_FALSE(called);
}

TEST(ParallelForTest, OneThreadRunsOnTheCallerInIndexOrder) {
  std::vector<size_t> order;
  const std::thread::id caller = std::this_thread::get_id();
  parallel_for(5, 1, [&](size_t i) {
    EXPECT_EQ(std::this_thread::get_id(), caller);
    order.push_back(i);
  });
  EXPECT_EQ(order, (std::vector<size_t>{0, 1, 2, 3, 4}));
}

TEST(ParallelForTest, UsesNoMoreThreadsThanAskedAndMoreThanOneWhenAsked) {
  std::mutex mu;
  std::set<std::thread::id> seen;
  std::atomic<int> running{0}, most{0};
  parallel_for(40, 3, [&](size_t i) {
    int now = ++running;
    for (int m = most.load(); now > m && !most.compare_exchange_weak(m, now);) {
    }
    {
      std::lock_guard<std::mutex> lock(mu);
      seen.insert(std::this_thread::get_id());
    }
    if (i == 0) {  // holds its thread until another thread has taken an index (or 30 s pass)
      for (int wait = 0; wait < 30000; ++wait) {
        {
          std::lock_guard<std::mutex> lock(mu);
          if (seen.size() >= 2) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    }
    --running;
  });
  EXPECT_LE(most.load(), 3);
  EXPECT_LE(seen.size(), 3u);
  EXPECT_GE(seen.size(), 2u);
}

TEST(ParallelForTest, RethrowsTheLowestFailingIndexAndStartsNoNewWorkAfterAFailure) {
  for (unsigned threads : {1u, 4u}) {
    std::atomic<int> started{0};
    try {
      parallel_for(10000, threads, [&](size_t i) {
        ++started;
        if (i == 3 || i == 5) throw std::runtime_error("index " + std::to_string(i));
      });
      FAIL() << "expected an exception";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "index 3") << threads << " threads";
    }
    EXPECT_LT(started.load(), 10000) << threads << " threads";  // stopped handing out indices
    if (threads == 1) {
      EXPECT_EQ(started.load(), 4);  // 0, 1, 2, then 3 threw
    }
  }
}

}  // namespace
}  // namespace caploop
