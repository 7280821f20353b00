// TaskPool: a fixed set of threads that run submitted tasks, first submitted first started, until the pool is
// destroyed. For producer loops that hand out work as they read it (a shard read batch by batch) and collect
// results in submission order through futures; for a known number of independent items use parallel_for.
//
// Contract: a pool of n threads (n >= 1) runs at most n tasks at once; tasks start in submission order. submit()
// may be called from any thread. A task must not throw (wrap it in a std::packaged_task to carry its result or
// exception to the submitter). The destructor runs every task already submitted, then joins the threads.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

namespace caploop {

class TaskPool {
 public:
  explicit TaskPool(int threads);
  ~TaskPool();
  TaskPool(const TaskPool&) = delete;
  TaskPool& operator=(const TaskPool&) = delete;

  void submit(std::function<void()> task);

 private:
  void loop();

  std::vector<std::thread> threads_;
  std::queue<std::function<void()>> tasks_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
};

}  // namespace caploop
