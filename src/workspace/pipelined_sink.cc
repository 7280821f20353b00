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

struct Batch {
  std::vector<EncodedItem> items;
  size_t bytes = 0;
};
// Items travel in batches: one hand-over (lock, wake-up) per batch, not per item.
using WriterTask = std::function<void()>;
using Message = std::variant<RunInfo, Batch, WriterTask>;
constexpr size_t kBatchItems = 256;
constexpr size_t kBatchBytes = size_t{1} << 20;

// What an encoded item holds in memory, roughly: its texts.
size_t bytes_of(const EncodedItem& e) {
  size_t n = sizeof(EncodedItem) + e.item.prompt.size() + e.item.question.size() + e.item.reference.size() +
             e.item.metadata_json.size() + e.new_dictionary.size();
  for (const ResponseRecord& r : e.responses) {
    n += sizeof(ResponseRecord);
    for (const auto& [filter, value] : r.filtered) n += filter.size() + value.size();
  }
  for (const EncodedResponse& b : e.bodies) n += sizeof(EncodedResponse) + b.body.size();
  return n;
}

// The importer's end of the queue.
class QueueSink : public PipelineSink {
 public:
  explicit QueueSink(ItemEncoder& encoder) : encoder_(encoder) { batch_.items.reserve(kBatchItems); }
  void begin_run(const RunInfo& run) override {
    flush();
    push(Message(run), 0);
  }
  void add_item(const ItemRecord& item, std::vector<ResponseRecord> responses) override {
    add_owned_item(ItemRecord(item), std::move(responses));
  }
  void add_owned_item(ItemRecord&& item, std::vector<ResponseRecord> responses) override {
    batch_.items.push_back(encoder_.encode(std::move(item), std::move(responses)));
    batch_.bytes += bytes_of(batch_.items.back());
    if (batch_.items.size() >= kBatchItems || batch_.bytes >= kBatchBytes) flush();
  }
  void run_on_writer(std::function<void()> task) override {
    flush();
    push(Message(std::move(task)), 0);
  }
  void flush() {
    // Written batches come back to be freed here: the importer's thread allocated them, and glibc frees a block
    // fastest (without locking its arena against this thread's own allocations) on the thread that allocated it.
    std::vector<Batch> written;
    {
      std::lock_guard lock(mutex_);
      written.swap(written_);
    }
    written.clear();
    if (batch_.items.empty()) return;
    size_t bytes = batch_.bytes;
    push(Message(std::move(batch_)), bytes);
    batch_ = Batch();
    batch_.items.reserve(kBatchItems);
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
  // Called by the writer with a batch it has written.
  void give_back(Batch&& batch) {
    std::lock_guard lock(mutex_);
    queued_bytes_ -= batch.bytes;  // counted until given back, so the bound covers what waits to be freed too
    written_.push_back(std::move(batch));
    changed_.notify_all();
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

  struct Cancelled {};

 private:
  void push(Message m, size_t bytes) {
    std::unique_lock lock(mutex_);
    // An empty queue takes any batch, so one larger than the bound still moves.
    changed_.wait(lock, [&] { return queue_.empty() || queued_bytes_ + bytes <= kMaxQueuedBytes || cancelled_; });
    if (cancelled_) throw Cancelled{};
    queue_.push_back(std::move(m));
    queued_bytes_ += bytes;
    changed_.notify_all();
  }
  ItemEncoder& encoder_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Message> queue_;
  size_t queued_bytes_ = 0;
  Batch batch_;                 // the importer's, not yet handed over
  std::vector<Batch> written_;  // written by the writer, to be freed by the importer's thread
  bool finished_ = false;
  bool cancelled_ = false;
};

}  // namespace

void run_pipelined_import(const std::function<void(PipelineSink&)>& import, RunWriter& writer) {
  QueueSink queue(writer.encoder());
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
        writer.begin_run(*run);
      } else if (auto* task = std::get_if<WriterTask>(&*m)) {
        (*task)();
      } else {
        Batch& batch = std::get<Batch>(*m);
        for (EncodedItem& item : batch.items) writer.add_encoded(std::move(item));
        queue.give_back(std::move(batch));
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
