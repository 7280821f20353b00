#include "test_support.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace caploop::testing {

namespace fs = std::filesystem;

fs::path source_dir() { return fs::path(CAPLOOP_SOURCE_DIR); }
fs::path shared_data_dir() { return source_dir().parent_path() / "shared" / "data"; }
fs::path fixtures_dir() { return source_dir() / "tests" / "fixtures"; }
bool have_shared_data() { return fs::is_directory(shared_data_dir()); }

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  fs::path base = fs::temp_directory_path();
  for (int attempt = 0; attempt < 1000; ++attempt) {
    fs::path p = base / ("caploop-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    if (fs::create_directory(p)) {
      path_ = p;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

static std::string slurp_fd(int fd) {
  std::string s;
  char buf[65536];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) s.append(buf, static_cast<size_t>(n));
  return s;
}

CommandResult run_command(const std::vector<std::string>& argv_in,
                          const std::vector<std::pair<std::string, std::string>>& env) {
  TempDir tmp;
  fs::path out_path = tmp / "stdout", err_path = tmp / "stderr";
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int in = ::open("/dev/null", O_RDONLY);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::dup2(in, 0);
    for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
    std::vector<std::string> copy = argv_in;
    std::vector<char*> argv;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  int fo = ::open(out_path.c_str(), O_RDONLY);
  int fe = ::open(err_path.c_str(), O_RDONLY);
  r.out = slurp_fd(fo);
  r.err = slurp_fd(fe);
  ::close(fo);
  ::close(fe);
  return r;
}

CommandResult run_caploop(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {CAPLOOP_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv);
}

bool have_mpirun() { return std::system("command -v mpirun > /dev/null 2>&1") == 0; }

CommandResult run_mpirun(int ranks, const std::vector<std::string>& program_and_args) {
  std::vector<std::string> argv = mpirun_command(ranks);
  argv.insert(argv.end(), program_and_args.begin(), program_and_args.end());
  return run_command(argv, {{"OMPI_ALLOW_RUN_AS_ROOT", "1"}, {"OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1"}});
}

std::vector<std::string> mpirun_command(int ranks) {
  return {"mpirun", "-np", std::to_string(ranks), "--oversubscribe", "-x", "LSAN_OPTIONS=detect_leaks=0"};
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

Error expect_error(const std::function<void()>& call, const std::string& context, std::source_location caller) {
  try {
    call();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE_AT(caller.file_name(), static_cast<int>(caller.line()))
      << "no caploop::Error thrown" << (context.empty() ? "" : ": ") << context;
  return Error(ErrorKind::kInternal, "no caploop::Error thrown");
}

std::vector<std::string> bbh_outputs_ingest_args(const std::string& db, const std::string& run,
                                                 const std::vector<std::filesystem::path>& files) {
  std::vector<std::string> args = {"--db",
                                   db,
                                   "-q",
                                   "ingest",
                                   "--run",
                                   run,
                                   "--format",
                                   "generic",
                                   "--benchmark",
                                   "bbh",
                                   "--records",
                                   "/outputs",
                                   "--input",
                                   "/input",
                                   "--response",
                                   "/prediction",
                                   "--target",
                                   "/target",
                                   "--task-from-filename",
                                   "^(.*)_few_shot_template"};
  for (const auto& f : files) args.push_back(f.string());
  return args;
}

}  // namespace caploop::testing
