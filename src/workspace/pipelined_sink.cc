#include "workspace/pipelined_sink.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <variant>

namespace caploop {

namespace {

struct ItemWithResponses {
  ItemRecord item;
  std::vector<ResponseRecord> responses;
};
// Items travel in batches: one hand-over (lock, wake-up) per batch, not per item.
using Message = std::variant<RunInfo, std::vector<ItemWithResponses>>;
constexpr size_t kBatchItems = 64;

// The importer's end of the queue.
class QueueSink : public IngestSink {
 public:
  void begin_run(const RunInfo& run) override {
    flush();
    push(Message(run));
  }
  void add_item(const ItemRecord& item, std::vector<ResponseRecord> responses) override {
    batch_.push_back(ItemWithResponses{item, std::move(responses)});
    if (batch_.size() >= kBatchItems) flush();
  }
  void flush() {
    if (batch_.empty()) return;
    push(Message(std::move(batch_)));
    batch_.clear();
  }

  // Called by the writer: the next message, or nullopt once the importer finished and the queue is empty.
  std::optional<Message> pop() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !queue_.empty() || finished_; });
    if (queue_.empty()) return std::nullopt;
    Message m = std::move(queue_.front());
    queue_.pop_front();
    changed_.notify_all();
    return m;
  }
  void finish() {
    std::lock_guard lock(mutex_);
    finished_ = true;
    changed_.notify_all();
  }
  void cancel() {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    changed_.notify_all();
  }

 private:
  struct Cancelled {};
  void push(Message m) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return queue_.size() * kBatchItems < kMaxQueuedItems || cancelled_; });
    if (cancelled_) throw Cancelled{};
    queue_.push_back(std::move(m));
    changed_.notify_all();
  }
  friend void caploop::run_pipelined_import(const std::function<void(IngestSink&)>&, IngestSink&);
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Message> queue_;
  std::vector<ItemWithResponses> batch_;  // the importer's, not yet handed over
  bool finished_ = false;
  bool cancelled_ = false;
};

}  // namespace

void run_pipelined_import(const std::function<void(IngestSink&)>& import, IngestSink& sink) {
  QueueSink queue;
  std::exception_ptr import_error;
  std::thread parser([&] {
    try {
      import(queue);
      queue.flush();
    } catch (const QueueSink::Cancelled&) {
      // the writer failed; its error is the one reported
    } catch (...) {
      import_error = std::current_exception();
    }
    queue.finish();
  });
  try {
    while (auto m = queue.pop()) {
      if (auto* run = std::get_if<RunInfo>(&*m)) {
        sink.begin_run(*run);
      } else {
        for (auto& it : std::get<std::vector<ItemWithResponses>>(*m)) sink.add_item(it.item, std::move(it.responses));
      }
    }
  } catch (...) {
    queue.cancel();
    parser.join();
    throw;
  }
  parser.join();
  if (import_error) std::rethrow_exception(import_error);
}

}  // namespace caploop
