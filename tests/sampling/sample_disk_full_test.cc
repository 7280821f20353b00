// `caploop sample` on a disk that fills up: it fails with exit 6 and leaves no "*.tmp" file behind. The small
// disk is a tmpfs mounted in a private mount namespace (`unshare -m`); where that is not allowed the test is
// skipped.
#include <gtest/gtest.h>

#include <string>

#include "sampling_corpus.h"
#include "test_support.h"

namespace caploop::sampling {
namespace {

using caploop::testing::run_command;
using caploop::testing::TempDir;
using testing::sampling_corpus;

TEST(SampleDiskFull, FailsWithAnIoErrorAndRemovesItsTemporaryFiles) {
  REQUIRE_SHARED_DATA();
  const auto& c = sampling_corpus();
  TempDir tmp;
  const std::string out = (tmp / "out").string();
  std::filesystem::create_directories(out);
  // Inside the namespace: a 24 KiB disk at OUT, the sample into it, then every file left there listed.
  const std::string script =
      "mount --make-rprivate / && mount -t tmpfs -o size=24k tmpfs \"$0\" || exit 99; \"$@\"; rc=$?; "
      "echo; echo \"exit $rc\"; find \"$0\" -type f; exit 0";
  auto r = run_command({"unshare", "-m", "sh", "-c", script, out, CAPLOOP_BINARY, "-q", "sample", "--plan",
                        c.plan_file.string(), "--seed", "3", "--out", out, "--threads", "1", c.inputs.string()});
  if (r.exit_code == 99 || r.exit_code == 1) GTEST_SKIP() << "no private mount namespace here: " << r.err;
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("exit 6"), std::string::npos) << r.out << r.err;
  EXPECT_NE(r.err.find("No space left"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find(".tmp"), std::string::npos) << "temporary files left behind:\n" << r.out;
}

}  // namespace
}  // namespace caploop::sampling
