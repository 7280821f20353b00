// PipelinedImport: runs an importer (parsing) and the encoding of what it produces (digests, compression:
// ItemEncoder) on a thread of its own while the calling thread writes the encoded items into the workspace, so that
// parsing and storing overlap (SQLite connections stay on one thread).
//
// Contract: run(import, writer) calls `import(queue_sink)` on a new thread; everything it hands to queue_sink
// (begin_run, add_item) is encoded there with writer.encoder() and reaches `writer` (begin_run, add_encoded) on the
// calling thread, in the same order, in batches through a bounded queue
// (at most kMaxQueuedBytes of texts in flight, so memory stays bounded while a whole task file of an importer that
// reads one file at a time fits: the parser goes on to the next file while the writer stores this one). An item
// handed over with add_owned_item is moved, not copied. An exception thrown by either side stops both: the
// importer's is rethrown on the calling thread after the thread is joined, and a failure of `sink` makes the
// importer's next hand-over throw, so it stops early. run() returns when both are done.
// The importer's side may also post work for the writing thread (PipelineSink::run_on_writer): it runs there after
// everything handed over before it and before anything handed over after it (ingest writes the scores computed
// while the import streams that way, into the same transaction).
#pragma once

#include <cstddef>
#include <functional>

#include "io/ingest_records.h"
#include "store/run_writer.h"

namespace caploop {

inline constexpr size_t kMaxQueuedBytes = size_t{64} << 20;

// The importer's end of the pipeline.
class PipelineSink : public IngestSink {
 public:
  virtual void run_on_writer(std::function<void()> task) = 0;
};

void run_pipelined_import(const std::function<void(PipelineSink&)>& import, RunWriter& writer);

}  // namespace caploop
