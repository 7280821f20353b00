// Killing a caploop run mid-way, for the tests that check that a resumed run gives the bytes of a clean one.
// Header-only: included by the test files that need it.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace caploop::testing {

// Runs the caploop binary with `args` in a child process (output discarded) and SIGKILLs it as soon as
// `first_done` exists. True when it was killed before `last_done` existed, i.e. mid-run; false when it finished
// first or had already written `last_done`.
inline bool run_caploop_killed_midway(const std::vector<std::string>& args, const std::filesystem::path& first_done,
                                      const std::filesystem::path& last_done) {
  pid_t pid = fork();
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    std::vector<char*> argv;
    std::string bin = CAPLOOP_BINARY;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  for (;;) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return false;  // finished before it could be killed
    if (std::filesystem::exists(first_done)) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return !std::filesystem::exists(last_done);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
}

}  // namespace caploop::testing
