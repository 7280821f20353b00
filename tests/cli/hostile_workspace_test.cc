// The workspace where writing is impossible or busy: on a read-only mount and on a full disk, read commands (runs,
// summary, show, also with a rule whose scores are not stored) work and leave the file as it was; commands that
// write fail with exit 6 (I/O) and a clear message. The mounts are made in a private mount namespace
// (`unshare -m`); where that is not allowed the tests are skipped. Behind another writer, a write command waits
// --wait seconds saying so, then exits 5, while read commands are served at once.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "store/sqlite.h"
#include "test_support.h"

namespace caploop {
namespace {

using testing::CommandResult;
using testing::read_file;
using testing::run_caploop;
using testing::run_command;
using testing::TempDir;
using testing::write_file;

const char* kRecords = R"({"id": "a1", "question": "2+2?", "answer": "4", "output": "2+2 is 4. The answer is 4."})"
                       "\n"
                       R"({"id": "a2", "question": "3+3?", "answer": "6", "output": "The answer is 7."})"
                       "\n";

std::vector<std::string> ingest_args(const std::string& db, const std::string& run, const std::string& path) {
  return {"--db", db,    "-q",      "ingest",    "--run",      run,       "--format", "generic", "--benchmark", "gsm8k",
          "--id", "/id", "--input", "/question", "--response", "/output", "--target", "/answer", path};
}

bool can_make_private_mounts() {
  static const bool ok = [] {
    TempDir tmp;
    return run_command({"unshare", "-m", "sh", "-c",
                        "mount --make-rprivate / && mount -t tmpfs -o size=64k tmpfs \"$0\"", tmp.path().string()})
               .exit_code == 0;
  }();
  return ok;
}

// Runs caploop with `args` after `setup` (shell commands; $D is `dir`) in a private mount namespace.
CommandResult caploop_in_mount(const std::string& setup, const std::string& dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {
      "unshare", "-m",          "sh", "-c", "D=\"$0\"; mount --make-rprivate / && " + setup + " && exec \"$@\"",
      dir,       CAPLOOP_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv);
}

const char* kReadOnlyBind = "mount --bind \"$D\" \"$D\" && mount -o remount,bind,ro \"$D\"";
class HostileWorkspaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!can_make_private_mounts()) GTEST_SKIP() << "no private mount namespace (unshare -m) here";
    dir = tmp.path() / "ws";
    std::filesystem::create_directories(dir);
    db = (dir / "w.db").string();
    write_file(tmp / "run.jsonl", kRecords);
    auto r = run_caploop(ingest_args(db, "r1", (tmp / "run.jsonl").string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  TempDir tmp;
  std::filesystem::path dir;
  std::string db;
};

TEST_F(HostileWorkspaceTest, ReadCommandsWorkOnAReadOnlyMountAndWritesAreIoErrors) {
  std::string before = read_file(db);
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--db", db, "runs", "--json"},
           {"--db", db, "-q", "summary", "--run", "r1", "--json"},
           {"--db", db, "-q", "summary", "--run", "r1", "--rule", "gsm8k-lenient", "--json"},
           {"--db", db, "show", "gsm8k:a2", "--json"}}) {
    auto r = caploop_in_mount(kReadOnlyBind, dir.string(), args);
    EXPECT_EQ(r.exit_code, 0) << args[2] << ": " << r.err;
    EXPECT_FALSE(r.out.empty()) << args[2];
  }
  auto w = caploop_in_mount(kReadOnlyBind, dir.string(), ingest_args(db, "r2", (tmp / "run.jsonl").string()));
  EXPECT_EQ(w.exit_code, 6) << w.err;
  EXPECT_NE(w.err.find("read-only"), std::string::npos) << w.err;
  EXPECT_EQ(read_file(db), before);
}

TEST_F(HostileWorkspaceTest, ReadCommandsWorkOnAFullDiskAndADatabaseWriteThatFillsItIsExitSix) {
  // The tmpfs is mounted over the folder, so the copy is made beside it first and moved in.
  std::filesystem::copy_file(db, tmp / "w.db.copy");
  std::string setup =
      "mount -t tmpfs -o size=256k tmpfs \"$D\" && cp \"$D/../w.db.copy\" \"$D/w.db\" && "
      "(dd if=/dev/zero of=\"$D/fill\" bs=4k 2>/dev/null; true)";
  auto r = caploop_in_mount(setup, dir.string(), {"--db", db, "-q", "summary", "--run", "r1", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"accuracy\""), std::string::npos) << r.out;
  auto runs = caploop_in_mount(setup, dir.string(), {"--db", db, "runs"});
  EXPECT_EQ(runs.exit_code, 0) << runs.err;

  // A run large enough not to fit in what is left of the disk.
  std::string big;
  for (int i = 0; i < 400; ++i) {
    big += R"({"id": "b)" + std::to_string(i) + R"(", "question": "q", "answer": "4", "output": ")" +
           std::string(2000, 'x') + "\"}\n";
  }
  write_file(tmp / "big.jsonl", big);
  auto w = caploop_in_mount(setup, dir.string(), ingest_args(db, "big", (tmp / "big.jsonl").string()));
  EXPECT_EQ(w.exit_code, 6) << w.err;
  EXPECT_NE(w.err.find("full"), std::string::npos) << w.err;
}

// A second writer waits for the first as long as --wait says, saying so, then gives up with exit 5; readers
// meanwhile are served at once.
TEST(BusyWorkspaceTest, WriterWaitsTheGivenSecondsWithProgressThenExitsFiveWhileReadersGoOn) {
  TempDir tmp;
  const std::string db = (tmp / "w.db").string();
  write_file(tmp / "run.jsonl", kRecords);
  ASSERT_EQ(run_caploop(ingest_args(db, "r1", (tmp / "run.jsonl").string())).exit_code, 0);
  int ready[2], done[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(done), 0);
  pid_t child = fork();
  if (child == 0) {  // holds the write lock until the parent closes `done`
    Database hold(db, OpenMode::kReadWrite);
    Transaction tx(hold);
    hold.exec("DELETE FROM meta WHERE key = 'nothing'");
    char c = 1;
    if (write(ready[1], &c, 1) != 1) _exit(3);
    close(done[1]);
    (void)!read(done[0], &c, 1);
    _exit(0);
  }
  close(ready[1]);
  close(done[0]);
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  auto runs = run_caploop({"--db", db, "runs", "--json"});
  EXPECT_EQ(runs.exit_code, 0) << runs.err;
  EXPECT_NE(runs.out.find("\"r1\""), std::string::npos);
  auto score = run_caploop({"--db", db, "--wait", "2.5", "score", "--run", "r1", "--rule", "gsm8k-lenient"});
  close(done[1]);
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_EQ(score.exit_code, 5) << score.err;
  EXPECT_NE(score.err.find("waiting for another process that is writing the workspace"), std::string::npos)
      << score.err;
  EXPECT_NE(score.err.find("gave up after waiting 2.5 s"), std::string::npos) << score.err;
  // Once the other writer is gone, the same command goes through.
  EXPECT_EQ(run_caploop({"--db", db, "-q", "score", "--run", "r1", "--rule", "gsm8k-lenient"}).exit_code, 0);
}

}  // namespace
}  // namespace caploop
