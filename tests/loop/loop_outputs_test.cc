// LoopOutputs: the loop removes exactly the files it recorded as its own; a user's files beside them, and the
// folders holding those, survive; nothing is removed recursively.
#include "loop/loop_outputs.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "test_support.h"

namespace caploop {
namespace {

namespace fs = std::filesystem;
using testing::read_file;
using testing::TempDir;
using testing::write_file;

TEST(LoopOutputsTest, RemovesOnlyRecordedFilesAndLeavesPlantedOnes) {
  TempDir tmp;
  const fs::path out = tmp / "out", dir = out / "cmp";
  {
    LoopOutputs outputs(out);
    outputs.record({dir / "plan.json", dir / "mapping.json", dir / "sample/a/x.jsonl.zst", dir / "sample/b/y.jsonl.zst",
                    dir / "sample/composition.json", dir / "sample/a/never-written.tmp"});
  }
  for (const char* f :
       {"plan.json", "mapping.json", "sample/a/x.jsonl.zst", "sample/b/y.jsonl.zst", "sample/composition.json"})
    write_file(dir / f, "loop output");
  // The user's files: beside the loop's, inside its sample folder, and where the loop would have written a
  // file it never recorded.
  write_file(dir / "notes.md", "mine");
  write_file(dir / "sample/a/mine.txt", "mine");
  write_file(dir / "plan.md", "mine");

  LoopOutputs again(out);  // read back from loop-outputs.txt
  EXPECT_EQ(again.files().size(), 6u);
  again.remove_recorded_under(dir, {"mapping.json"});
  EXPECT_FALSE(fs::exists(dir / "plan.json"));
  EXPECT_FALSE(fs::exists(dir / "sample/a/x.jsonl.zst"));
  EXPECT_FALSE(fs::exists(dir / "sample/composition.json"));
  EXPECT_FALSE(fs::exists(dir / "sample/b")) << "a folder the loop emptied is removed";
  EXPECT_TRUE(fs::exists(dir / "mapping.json")) << "kept on request";
  EXPECT_EQ(read_file(dir / "notes.md"), "mine");
  EXPECT_EQ(read_file(dir / "sample/a/mine.txt"), "mine");
  EXPECT_EQ(read_file(dir / "plan.md"), "mine");
  EXPECT_EQ(LoopOutputs(out).files().size(), 1u);  // mapping.json is still the loop's
}

TEST(LoopOutputsTest, AFolderWhereARecordedFileWasIsNotRemoved) {
  TempDir tmp;
  const fs::path out = tmp / "out";
  LoopOutputs outputs(out);
  outputs.record({out / "cmp/verify.json"});
  write_file(out / "cmp/verify.json/inside.txt", "mine");
  outputs.remove_recorded_under(out / "cmp");
  EXPECT_EQ(read_file(out / "cmp/verify.json/inside.txt"), "mine");
}

}  // namespace
}  // namespace caploop
