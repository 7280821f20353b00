// ProcessGroup: a plain run is a group of one that never touches MPI; under `mpirun -np 3` (this test program
// relaunching itself) each rank knows its place and rank 0 gathers every rank's string in rank order.
#include "cluster/process_group.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

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
std::string message_of(int rank) { return "rank " + std::to_string(rank) + std::string(1, '\0') + std::string(rank * 1000, 'x'); }

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
std::pair<int, std::string> run(const std::vector<std::string>& args) {
  caploop::testing::TempDir tmp;
  const fs::path out = tmp / "output";
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<std::string> copy = args;
    std::vector<char*> argv;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), caploop::testing::read_file(out)};
}

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
  if (run({"sh", "-c", "command -v mpirun"}).first != 0) GTEST_SKIP() << "mpirun is not installed";
  setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
  setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
  const std::string self = fs::read_symlink("/proc/self/exe").string();
  std::vector<std::string> command = testing::mpirun_command(3);
  for (const char* a : {"--gtest_color=no", "--gtest_filter=ProcessGroupUnderMpirun.GathersEveryRanksStringInRankOrder"})
    command.push_back(a);
  command.insert(command.end() - 2, self);
  auto [code, output] = run(command);
  EXPECT_EQ(code, 0) << output;
  size_t passed = 0;
  for (size_t at = output.find("[  PASSED  ] 1 test"); at != std::string::npos;
       at = output.find("[  PASSED  ] 1 test", at + 1))
    ++passed;
  EXPECT_EQ(passed, 3u) << output;  // every rank ran the checks and passed
}

}  // namespace
}  // namespace caploop
