#include "core/task_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace caploop {
namespace {

TEST(TaskPoolTest, DestructorRunsEverySubmittedTask) {
  std::atomic<int> done{0};
  {
    TaskPool pool(3);
    for (int i = 0; i < 500; ++i) pool.submit([&] { ++done; });
  }
  EXPECT_EQ(done.load(), 500);
}

TEST(TaskPoolTest, OneThreadStartsTasksInSubmissionOrder) {
  std::vector<int> order;
  {
    TaskPool pool(1);
    for (int i = 0; i < 50; ++i) pool.submit([&order, i] { order.push_back(i); });
  }
  ASSERT_EQ(order.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(order[i], i);
}

TEST(TaskPoolTest, RunsAtMostItsThreadCountAtOnceOnOtherThreads) {
  std::atomic<int> running{0}, most{0};
  std::mutex mu;
  std::set<std::thread::id> seen;
  const std::thread::id caller = std::this_thread::get_id();
  {
    TaskPool pool(2);
    for (int i = 0; i < 20; ++i) {
      pool.submit([&] {
        int now = ++running;
        for (int m = most.load(); now > m && !most.compare_exchange_weak(m, now);) {
        }
        {
          std::lock_guard<std::mutex> lock(mu);
          seen.insert(std::this_thread::get_id());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        --running;
      });
    }
  }
  EXPECT_LE(most.load(), 2);
  EXPECT_LE(seen.size(), 2u);
  EXPECT_EQ(seen.count(caller), 0u);
}

TEST(TaskPoolTest, PackagedTasksCarryResultsAndExceptionsBackInSubmissionOrder) {
  TaskPool pool(4);
  std::vector<std::future<int>> results;
  for (int i = 0; i < 100; ++i) {
    auto task = std::make_shared<std::packaged_task<int()>>([i] {
      if (i == 42) throw std::runtime_error("forty-two");
      return i * i;
    });
    results.push_back(task->get_future());
    pool.submit([task] { (*task)(); });
  }
  for (int i = 0; i < 100; ++i) {
    if (i == 42) {
      EXPECT_THROW(results[i].get(), std::runtime_error);
    } else {
      EXPECT_EQ(results[i].get(), i * i);
    }
  }
}

}  // namespace
}  // namespace caploop
