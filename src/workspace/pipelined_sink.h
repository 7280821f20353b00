// PipelinedImport: runs an importer (parsing) on a thread of its own while the calling thread writes what it
// produced into the workspace, so that parsing and storing overlap (SQLite connections stay on one thread).
//
// Contract: run(import, sink) calls `import(queue_sink)` on a new thread; everything it hands to queue_sink
// (begin_run, add_item) reaches `sink` on the calling thread, in the same order, in batches through a bounded queue (at
// most kMaxQueuedItems items in flight, so memory stays bounded). An exception thrown by either side stops both: the
// importer's is rethrown on the calling thread after the thread is joined, and a failure of `sink` makes the
// importer's next hand-over throw, so it stops early. run() returns when both are done.
#pragma once

#include <functional>

#include "io/ingest_records.h"

namespace caploop {

inline constexpr size_t kMaxQueuedItems = 512;

void run_pipelined_import(const std::function<void(IngestSink&)>& import, IngestSink& sink);

}  // namespace caploop
