// ProcessGroup: a plain run is a group of one that never touches MPI; under `mpirun -np 3` (this test program
// relaunching itself) each rank knows its place and rank 0 gathers every rank's string in rank order.
#include "cluster/process_group.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "test_support.h"

namespace caploop {
namespace {

namespace fs = std::filesystem;

bool under_mpirun() { return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr; }

// What rank r sends: lengths differ by rank, and the bytes include a NUL, so the gather must place each exactly.
std::string message_of(int rank) {
  return "rank " + std::to_string(rank) + std::string(1, '\0') + std::string(rank * 1000, 'x');
}

TEST(ProcessGroup, PlainRunIsAGroupOfOne) {
  if (under_mpirun()) GTEST_SKIP() << "this process was started by mpirun";
  ProcessGroup& g = ProcessGroup::current();
  EXPECT_EQ(&g, &ProcessGroup::current());
  EXPECT_EQ(g.rank(), 0);
  EXPECT_EQ(g.size(), 1);
  EXPECT_TRUE(g.is_root());
  EXPECT_FALSE(g.distributed());
  g.barrier();
  EXPECT_EQ(g.gather_to_root("alone"), std::vector<std::string>{"alone"});
}

// Runs argv with stdout and stderr captured together; returns the exit code and the output.
TEST(ProcessGroupUnderMpirun, GathersEveryRanksStringInRankOrder) {
  if (under_mpirun()) {  // one of the ranks
    ProcessGroup& g = ProcessGroup::current();
    const int size = std::atoi(std::getenv("OMPI_COMM_WORLD_SIZE"));
    const int rank = std::atoi(std::getenv("OMPI_COMM_WORLD_RANK"));
    ASSERT_EQ(g.size(), size);
    ASSERT_EQ(g.rank(), rank);
    EXPECT_EQ(g.is_root(), rank == 0);
    EXPECT_TRUE(g.distributed());
    g.barrier();
    std::vector<std::string> all = g.gather_to_root(message_of(rank));
    if (g.is_root()) {
      ASSERT_EQ(all.size(), static_cast<size_t>(size));
      for (int r = 0; r < size; ++r) EXPECT_EQ(all[r], message_of(r)) << "rank " << r;
    } else {
      EXPECT_TRUE(all.empty());
    }
    std::vector<std::string> again = g.gather_to_root("");  // empty messages
    if (g.is_root()) {
      EXPECT_EQ(again, std::vector<std::string>(size));
    }
    return;
  }
  if (!testing::have_mpirun()) GTEST_SKIP() << "mpirun is not installed";
  const std::string self = fs::read_symlink("/proc/self/exe").string();
  const testing::CommandResult r = testing::run_mpirun(
      3, {self, "--gtest_color=no", "--gtest_filter=ProcessGroupUnderMpirun.GathersEveryRanksStringInRankOrder"});
  const int code = r.exit_code;
  const std::string output = r.out + r.err;
  EXPECT_EQ(code, 0) << output;
  size_t passed = 0;
  for (size_t at = output.find("[  PASSED  ] 1 test"); at != std::string::npos;
       at = output.find("[  PASSED  ] 1 test", at + 1))
    ++passed;
  EXPECT_EQ(passed, 3u) << output;  // every rank ran the checks and passed
}

}  // namespace
}  // namespace caploop
