// BackgroundCheckpoint: copies a workspace's write-ahead log into the database file on a thread of its own, so
// that a command that has just committed a large transaction (ingest: ~100 MB of log for 200,000 responses) goes
// on reading (its summary) while the copy runs, instead of waiting for it inside its commit.
//
// Contract: commit the transaction while an AutoCheckpointOff lives on the writing connection (SQLite would
// otherwise checkpoint inside the commit), then construct a BackgroundCheckpoint with the workspace's path. It
// opens a second connection to the file and runs a PASSIVE checkpoint, which neither waits for nor blocks readers
// and writers: what it cannot copy now, the next checkpoint copies (at the latest when the last connection
// closes). The destructor waits for it. A failed background checkpoint is not an error of the command: the log
// holds the committed transaction either way, so nothing is lost and nothing is reported.
#pragma once

#include <string>
#include <thread>

#include "store/sqlite.h"

namespace caploop {

// Turns the connection's automatic checkpoint off while it lives; restores SQLite's default (1,000 pages).
class AutoCheckpointOff {
 public:
  explicit AutoCheckpointOff(Database& db);
  ~AutoCheckpointOff();
  AutoCheckpointOff(const AutoCheckpointOff&) = delete;
  AutoCheckpointOff& operator=(const AutoCheckpointOff&) = delete;

 private:
  Database& db_;
};

class BackgroundCheckpoint {
 public:
  explicit BackgroundCheckpoint(std::string path);
  ~BackgroundCheckpoint();  // waits for the checkpoint
  BackgroundCheckpoint(const BackgroundCheckpoint&) = delete;
  BackgroundCheckpoint& operator=(const BackgroundCheckpoint&) = delete;

 private:
  std::thread thread_;
};

}  // namespace caploop
