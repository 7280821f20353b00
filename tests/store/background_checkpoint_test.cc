// BackgroundCheckpoint: a transaction committed with the automatic checkpoint off stays in the write-ahead log;
// the background checkpoint copies all of it into the database file while another connection reads.
#include "store/background_checkpoint.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "store/sqlite.h"
#include "test_support.h"

namespace caploop {
namespace {

// (frames in the log, frames of it already copied into the file), as a PASSIVE checkpoint reports them.
std::pair<int, int> log_frames(Database& db) {
  int log = -1, copied = -1;
  EXPECT_EQ(sqlite3_wal_checkpoint_v2(db.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied), SQLITE_OK);
  return {log, copied};
}

TEST(BackgroundCheckpointTest, CopiesTheCommittedLogWhileAReaderReads) {
  caploop::testing::TempDir dir;
  const std::string path = (dir.path() / "ws.db").string();
  Database db(path, OpenMode::kCreate);
  db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE t(x BLOB);");
  {
    AutoCheckpointOff off(db);
    Transaction tx(db);
    Statement insert(db, "INSERT INTO t VALUES(randomblob(3000))");
    for (int i = 0; i < 3000; ++i) insert.run();  // ~9 MB: several times SQLite's 1,000-page threshold
    tx.commit();
  }
  // Nothing was copied inside the commit: the whole transaction waits in the log, the file is as before.
  EXPECT_GT(std::filesystem::file_size(path + "-wal"), 9'000'000u);
  EXPECT_LT(std::filesystem::file_size(path), 100'000u);
  Database reader(path, OpenMode::kReadOnly);
  Statement count(reader, "SELECT count(*), sum(length(x)) FROM t");
  {
    BackgroundCheckpoint checkpoint(path);
    ASSERT_TRUE(count.step());  // reading while it copies
    EXPECT_EQ(count.int64(0), 3000);
    EXPECT_EQ(count.int64(1), 9'000'000);
  }
  count.reset();
  EXPECT_GT(std::filesystem::file_size(path), 9'000'000u);  // copied into the file
  auto [log, copied] = log_frames(db);
  EXPECT_GT(log, 1000);
  EXPECT_EQ(copied, log);
}

int auto_checkpoint_pages(Database& db) {
  Statement st(db, "PRAGMA wal_autocheckpoint");
  EXPECT_TRUE(st.step());
  return static_cast<int>(st.int64(0));
}

TEST(BackgroundCheckpointTest, AutoCheckpointIsOffOnlyWhileTheGuardLives) {
  caploop::testing::TempDir dir;
  Database db((dir.path() / "ws.db").string(), OpenMode::kCreate);
  db.exec("PRAGMA journal_mode=WAL;");
  EXPECT_EQ(auto_checkpoint_pages(db), 1000);
  {
    AutoCheckpointOff off(db);
    EXPECT_EQ(auto_checkpoint_pages(db), 0);
  }
  EXPECT_EQ(auto_checkpoint_pages(db), 1000);
}

}  // namespace
}  // namespace caploop
