// How the workspace is opened: read access never writes the file and never waits for a writer in another
// process; a writer waits for another writer for the stated time, then fails with a conflict; a version-1 file
// reads without being migrated; scores a reader computes stay in its connection.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "store/harness_metrics.h"
#include "store/run_writer.h"
#include "store/score_table.h"
#include "store/sqlite.h"
#include "store/workspace_db.h"
#include "test_support.h"

namespace caploop {
namespace {

using testing::read_file;
using testing::TempDir;

void write_run(WorkspaceDb& ws, const std::string& name) {
  RunWriter w(ws, false);
  RunInfo info;
  info.name = name;
  w.begin_run(info);
  ItemRecord it;
  it.benchmark = "gsm8k";
  it.task = "gsm8k";
  it.source_id = "0";
  it.prompt = "2+2?";
  it.reference = "4";
  ResponseRecord r;
  r.text = "The answer is 4.";
  w.add_item(it, {r});
}

void make_workspace(const std::string& path, const std::string& run) {
  WorkspaceDb ws(path, WorkspaceAccess::kCreate);
  Transaction tx(ws.db());
  write_run(ws, run);
  tx.commit();
}

// Restores the process-wide writer wait when a test changed it.
struct WaitGuard {
  WriterWait saved = writer_wait();
  ~WaitGuard() { set_writer_wait(saved); }
};

TEST(WorkspaceAccessTest, ReadAccessLeavesTheFileByteIdentical) {
  TempDir tmp;
  std::string path = (tmp / "w.db").string();
  make_workspace(path, "a");
  std::string before = read_file(path);
  auto mtime = std::filesystem::last_write_time(path);
  {
    WorkspaceDb ws(path, WorkspaceAccess::kRead);
    EXPECT_TRUE(ws.read_only());
    ASSERT_EQ(ws.runs().size(), 1u);
    // Writing a run is refused as an I/O error (the file is read-only for this connection).
    try {
      Transaction tx(ws.db());
      write_run(ws, "b");
      tx.commit();
      FAIL() << "a read-only workspace took a run";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kIo) << e.what();
      EXPECT_NE(std::string(e.what()).find("read-only"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(read_file(path), before);
  EXPECT_EQ(std::filesystem::last_write_time(path), mtime);
}

TEST(WorkspaceAccessTest, ScoresWrittenThroughAReaderStayInItsConnection) {
  TempDir tmp;
  std::string path = (tmp / "w.db").string();
  make_workspace(path, "a");
  std::string before = read_file(path);
  {
    WorkspaceDb ws(path, WorkspaceAccess::kRead);
    RunRow run = ws.run_or_throw("a");
    EXPECT_FALSE(stored_rule_version(ws, run.id, "exact", "gsm8k").has_value());
    Transaction tx(ws.db());
    ScoreWriter writer(ws);
    writer.clear(run.id, "exact", std::nullopt);
    Score s;
    s.correct = true;
    writer.put(1, "exact", 3, s, Ending{});
    tx.commit();
    EXPECT_EQ(stored_rule_version(ws, run.id, "exact", "gsm8k"), 3);
  }
  WorkspaceDb again(path, WorkspaceAccess::kRead);
  EXPECT_FALSE(stored_rule_version(again, again.run_or_throw("a").id, "exact", "gsm8k").has_value());
  EXPECT_EQ(read_file(path), before);
}

TEST(WorkspaceAccessTest, VersionOneFileReadsWithoutMigrationAndMigratesOnWrite) {
  TempDir tmp;
  std::string path = (tmp / "w.db").string();
  make_workspace(path, "a");
  {
    Database db(path, OpenMode::kReadWrite);
    db.exec(
        "DROP TABLE harness_metrics; DROP TABLE harness_aggregates;"
        "UPDATE meta SET value = '1' WHERE key = 'schema_version'");
  }
  std::string before = read_file(path);
  {
    WorkspaceDb ws(path, WorkspaceAccess::kRead);
    RunRow run = ws.run_or_throw("a");
    EXPECT_TRUE(read_harness_aggregates(ws, run.id).empty());
    EXPECT_TRUE(read_harness_metrics(ws, run.id).empty());
  }
  EXPECT_EQ(read_file(path), before);
  { WorkspaceDb ws(path, WorkspaceAccess::kWrite); }
  Database db(path, OpenMode::kReadOnly);
  Statement st(db, "SELECT value FROM meta WHERE key = 'schema_version'");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.str(0), std::to_string(kWorkspaceSchemaVersion));
}

// A child process that holds a write transaction (a run "b" written, not committed) until told to commit.
class WriterInAnotherProcess {
 public:
  explicit WriterInAnotherProcess(const std::string& path) {
    int ready[2], go[2];
    if (pipe(ready) != 0 || pipe(go) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      close(ready[0]);
      close(go[1]);
      int code = 0;
      try {
        WorkspaceDb ws(path, WorkspaceAccess::kWrite);
        Transaction tx(ws.db());
        write_run(ws, "b");
        char c = 1;
        if (write(ready[1], &c, 1) != 1) _exit(3);
        if (read(go[0], &c, 1) < 0) _exit(4);
        tx.commit();
      } catch (...) {
        code = 2;
      }
      _exit(code);
    }
    close(ready[1]);
    close(go[0]);
    go_ = go[1];
    char c = 0;
    holding_ = read(ready[0], &c, 1) == 1;
    close(ready[0]);
  }
  bool holding() const { return holding_; }
  // Lets the child commit; returns its exit status (0 when it committed).
  int commit() {
    close(go_);
    int status = 0;
    waitpid(pid_, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  int go_ = -1;
  bool holding_ = false;
};

TEST(WorkspaceAccessTest, ReaderSeesTheLastCommittedStateWhileAnotherProcessWrites) {
  TempDir tmp;
  std::string path = (tmp / "w.db").string();
  make_workspace(path, "a");
  WaitGuard guard;
  set_writer_wait({30, nullptr});  // a reader that waited at all would take seconds
  WriterInAnotherProcess writer(path);
  ASSERT_TRUE(writer.holding());
  auto start = std::chrono::steady_clock::now();
  {
    WorkspaceDb ws(path, WorkspaceAccess::kRead);
    auto runs = ws.runs();
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].info.name, "a");
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_EQ(writer.commit(), 0);
  WorkspaceDb ws(path, WorkspaceAccess::kRead);
  EXPECT_EQ(ws.runs().size(), 2u);
}

TEST(WorkspaceAccessTest, SecondWriterWaitsTheStatedTimeThenFailsWithAConflict) {
  TempDir tmp;
  std::string path = (tmp / "w.db").string();
  make_workspace(path, "a");
  WaitGuard guard;
  int reports = 0;
  set_writer_wait({2.5, [&](double waited, double limit) {
                     ++reports;
                     EXPECT_LE(waited, limit);
                   }});
  WriterInAnotherProcess writer(path);
  ASSERT_TRUE(writer.holding());
  auto start = std::chrono::steady_clock::now();
  try {
    WorkspaceDb ws(path, WorkspaceAccess::kWrite);
    Transaction tx(ws.db());
    FAIL() << "a second writer got the write lock";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConflict) << e.what();
    EXPECT_NE(std::string(e.what()).find("another process is writing"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("2.5 s"), std::string::npos) << e.what();
  }
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2400));
  EXPECT_GE(reports, 1);
  ASSERT_EQ(writer.commit(), 0);
}

}  // namespace
}  // namespace caploop
