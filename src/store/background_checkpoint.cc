#include "store/background_checkpoint.h"

#include <utility>

namespace caploop {

namespace {
constexpr int kSqliteDefaultAutoCheckpointPages = 1000;
}  // namespace

AutoCheckpointOff::AutoCheckpointOff(Database& db) : db_(db) { sqlite3_wal_autocheckpoint(db_.handle(), 0); }

AutoCheckpointOff::~AutoCheckpointOff() { sqlite3_wal_autocheckpoint(db_.handle(), kSqliteDefaultAutoCheckpointPages); }

BackgroundCheckpoint::BackgroundCheckpoint(std::string path)
    : thread_([path = std::move(path)] {
        try {
          Database db(path, OpenMode::kReadWrite);
          // A new connection learns that the file is in WAL mode when it first reads it; until then a
          // checkpoint request does nothing.
          Statement mode(db, "PRAGMA journal_mode");
          if (!mode.step() || mode.text(0) != "wal") return;
          mode.reset();
          sqlite3_wal_checkpoint_v2(db.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        } catch (...) {
          // See the contract: the next checkpoint copies what this one did not.
        }
      }) {}

BackgroundCheckpoint::~BackgroundCheckpoint() {
  if (thread_.joinable()) thread_.join();
}

}  // namespace caploop
