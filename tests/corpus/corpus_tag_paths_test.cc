// Where `corpus tag` reads and writes: two inputs that would share an output path are refused before any work
// (naming both), symbolic links under --out are not written through, folders reached through symbolic links are
// read, a folder with no shard is an error, and a second run into the same --out (same share) is refused.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/folder_lock.h"
#include "test_support.h"

namespace caploop {
namespace {

namespace fs = std::filesystem;
using testing::read_file;
using testing::run_caploop;
using testing::run_command;
using testing::TempDir;
using testing::write_file;

const char* kShard = "{\"id\":\"a\",\"text\":\"The first document.\"}\n{\"id\":\"b\",\"text\":\"The second.\"}\n";

// caploop run from the folder `cwd`.
testing::CommandResult caploop_in(const fs::path& cwd, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"sh", "-c", "cd \"$0\" && exec \"$@\"", cwd.string(), CAPLOOP_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv);
}

size_t files_under(const fs::path& root) {
  size_t n = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    n += it->is_regular_file() ? 1 : 0;
  return n;
}

TEST(CorpusTagPaths, DotDotAndDoubleUnderscoreCollideAndAreRefusedNamingBoth) {
  TempDir tmp;
  write_file(tmp / "x.jsonl", kShard);
  write_file(tmp / "w/__/x.jsonl", kShard);
  auto r = caploop_in(tmp / "w", {"-q", "corpus", "tag", "--out", (tmp / "out").string(), "../x.jsonl", "__/x.jsonl"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("'../x.jsonl'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'__/x.jsonl'"), std::string::npos) << r.err;
  EXPECT_EQ(files_under(tmp / "out"), 0u);
}

TEST(CorpusTagPaths, AbsoluteAndRelativePathsThatMirrorAlikeAreRefused) {
  TempDir tmp;
  const fs::path abs = tmp / "x.jsonl";
  const fs::path rel = abs.relative_path();  // the same path, from `tmp` rather than from "/"
  write_file(abs, kShard);
  write_file(tmp / rel, kShard);
  auto r = caploop_in(tmp.path(), {"-q", "corpus", "tag", "--out", (tmp / "out").string(), abs.string(), rel.string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(abs.string()), std::string::npos) << r.err;
  EXPECT_EQ(files_under(tmp / "out"), 0u);
  // The same file named twice is one input, not a collision.
  auto twice = caploop_in(tmp.path(), {"-q", "corpus", "tag", "--out", (tmp / "out").string(), abs.string(),
                                       (tmp / "." / "x.jsonl").string()});
  EXPECT_EQ(twice.exit_code, 0) << twice.err;
  EXPECT_NE(twice.out.find("shards tagged: 1,"), std::string::npos) << twice.out;
}

TEST(CorpusTagPaths, SymbolicLinksUnderOutAreNotWrittenThrough) {
  TempDir tmp;
  write_file(tmp / "in/x.jsonl", kShard);
  const fs::path mirror = tmp / "out" / (tmp / "in").relative_path();
  // A folder on the way out of --out...
  fs::create_directories(tmp / "elsewhere");
  fs::create_directories(mirror.parent_path());
  fs::create_directory_symlink(tmp / "elsewhere", mirror);
  auto r = run_caploop({"-q", "corpus", "tag", "--out", (tmp / "out").string(), (tmp / "in").string()});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("symbolic link"), std::string::npos) << r.err;
  EXPECT_EQ(files_under(tmp / "elsewhere"), 0u);
  // ...and a temporary file name pointing at a file outside.
  fs::remove(mirror);
  fs::create_directories(mirror);
  write_file(tmp / "victim.txt", "keep me");
  fs::create_symlink(tmp / "victim.txt", mirror / "x.jsonl.tmp");
  r = run_caploop({"-q", "corpus", "tag", "--out", (tmp / "out").string(), (tmp / "in").string()});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_EQ(read_file(tmp / "victim.txt"), "keep me");
}

TEST(CorpusTagPaths, FolderReachedThroughASymbolicLinkIsRead) {
  TempDir tmp;
  write_file(tmp / "real/sub/x.jsonl", kShard);
  fs::create_directories(tmp / "top");
  fs::create_directory_symlink(tmp / "real/sub", tmp / "top/linked");
  auto r = run_caploop({"-q", "corpus", "tag", "--out", (tmp / "out").string(), (tmp / "top").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("shards tagged: 1,"), std::string::npos) << r.out;
  EXPECT_EQ(files_under(tmp / "out"), 2u);  // attributes and statistics
}

TEST(CorpusTagPaths, FolderWithoutShardsIsAnError) {
  TempDir tmp;
  fs::create_directories(tmp / "empty");
  write_file(tmp / "empty/notes.txt", "not a shard");
  auto r = run_caploop({"-q", "corpus", "tag", "--out", (tmp / "out").string(), (tmp / "empty").string()});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("no shards"), std::string::npos) << r.err;
}

TEST(CorpusTagPaths, SecondRunIntoTheSameOutIsRefusedWithALockMessage) {
  TempDir tmp;
  write_file(tmp / "in/x.jsonl", kShard);
  std::vector<std::string> args = {"-q", "corpus", "tag", "--out", (tmp / "out").string(), (tmp / "in").string()};
  {
    // This process stands for a first run in progress.
    FolderLock first(tmp / "out/.caploop-corpus-tag-1-of-1.lock", "the first run");
    auto r = run_caploop(args);
    EXPECT_EQ(r.exit_code, 5) << r.err;
    EXPECT_NE(r.err.find("another process"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("lock file"), std::string::npos) << r.err;
    EXPECT_EQ(files_under(tmp / "out"), 1u);  // the lock file only
  }
  auto r = run_caploop(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(files_under(tmp / "out"), 2u);  // the lock file is gone with its run
}

TEST(CorpusTagPaths, FullDiskFailsWithAnIoErrorAndLeavesNoTemporaryFiles) {
  TempDir tmp;
  std::string shard;
  for (int i = 0; i < 400; ++i)
    shard += "{\"id\":\"d" + std::to_string(i) + "\",\"text\":\"A short document about counting and probability.\"}\n";
  write_file(tmp / "in/x.jsonl", shard);
  const std::string out = (tmp / "out").string();
  fs::create_directories(out);
  // Inside a private mount namespace: a 16 KiB disk at OUT, the run into it, then every file left there listed.
  const std::string script =
      "mount --make-rprivate / && mount -t tmpfs -o size=16k tmpfs \"$0\" || exit 99; \"$@\"; rc=$?; "
      "echo; echo \"exit $rc\"; find \"$0\" -type f; exit 0";
  auto r = run_command({"unshare", "-m", "sh", "-c", script, out, CAPLOOP_BINARY, "-q", "corpus", "tag", "--out", out,
                        (tmp / "in").string()});
  if (r.exit_code == 99 || r.exit_code == 1) GTEST_SKIP() << "no private mount namespace here: " << r.err;
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("exit 6"), std::string::npos) << r.out << r.err;
  EXPECT_EQ(r.out.find(".tmp"), std::string::npos) << "temporary files left behind:\n" << r.out;
}

}  // namespace
}  // namespace caploop
