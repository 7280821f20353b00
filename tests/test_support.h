// Shared test helpers: where the real data lives, scratch directories, running the caploop binary, and
// catching the caploop::Error a call must throw.
//
// Tests run with the project root as working directory. Real data is read in place from
// ../shared/data (never written); tests that need it call require_shared_data(), which skips the test
// with a clear message when the folder is absent (it is present in CI). Scratch files go in a TempDir,
// removed when it goes out of scope.
#pragma once

#include <filesystem>
#include <functional>
#include <source_location>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"

namespace caploop::testing {

std::filesystem::path source_dir();       // the project root
std::filesystem::path shared_data_dir();  // <root>/../shared/data
std::filesystem::path fixtures_dir();     // <root>/tests/fixtures
bool have_shared_data();

// Skips the current test (GTEST_SKIP) when ../shared/data is missing. Use as: REQUIRE_SHARED_DATA();
#define REQUIRE_SHARED_DATA()                                                         \
  do {                                                                                \
    if (!::caploop::testing::have_shared_data()) GTEST_SKIP() << "no ../shared/data"; \
  } while (0)

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs a program (looked up on PATH when the name has no '/') with the given arguments, no shell quoting
// needed, extra environment variables set for it alone, stdin from /dev/null; captures stdout and stderr.
CommandResult run_command(const std::vector<std::string>& argv,
                          const std::vector<std::pair<std::string, std::string>>& env = {});

// Runs build/caploop with the given arguments, as run_command does.
CommandResult run_caploop(const std::vector<std::string>& args);

// The start of an mpirun command line for `ranks` local ranks: allows oversubscribing this machine's cores and
// turns LeakSanitizer off inside the ranks only (sanitizer builds), because OpenMPI keeps allocations in
// plugins it unloads, which cannot be attributed or suppressed. Other sanitizer checks stay on.
std::vector<std::string> mpirun_command(int ranks);

bool have_mpirun();  // mpirun is on PATH

// The arguments of `caploop --db DB -q ingest --run RUN` for BBH outputs in the layout of
// ../shared/data/bbh/code-davinci-002-outputs ({"outputs": [{"input", "prediction", "target"}]}, the task taken
// from the file name before `_few_shot_template`), read by the generic importer; `files` are appended.
std::vector<std::string> bbh_outputs_ingest_args(const std::string& db, const std::string& run,
                                                 const std::vector<std::filesystem::path>& files);

// Runs `program_and_args` as `ranks` ranks under mpirun (mpirun_command), allowed to run as root (CI is root).
CommandResult run_mpirun(int ranks, const std::vector<std::string>& program_and_args);

// Runs `call`, which must throw caploop::Error, and returns the error it threw, so the test checks what it needs
// of it: kind(), message(), what() and where() (file, line, field). When `call` returns without throwing, records
// a non-fatal failure at the caller's line (followed by `context`, when given, e.g. the input that was accepted)
// and returns a kInternal error with the message "no caploop::Error thrown", so the caller's checks fail too
// rather than read a missing value. Exceptions other than caploop::Error pass through (gtest fails the test).
Error expect_error(const std::function<void()>& call, const std::string& context = "",
                   std::source_location caller = std::source_location::current());

std::string read_file(const std::filesystem::path& p);
void write_file(const std::filesystem::path& p, const std::string& content);

}  // namespace caploop::testing
