#include "core/folder_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/error.h"

namespace caploop {

namespace fs = std::filesystem;

FolderLock::FolderLock(const fs::path& lock_file, const std::string& what) : path_(lock_file) {
  std::error_code ec;
  if (lock_file.has_parent_path()) fs::create_directories(lock_file.parent_path(), ec);
  // The holder removes the file on release: lock, then check the name still names the locked file, else retry.
  for (int attempt = 0; attempt < 100; ++attempt) {
    fd_ = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd_ < 0) {
      throw Error(ErrorKind::kIo, fmt::format("cannot create lock file: {}", std::strerror(errno)),
                  {lock_file.string(), 0, ""});
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      int err = errno;
      char buf[32] = {};
      ssize_t n = ::pread(fd_, buf, sizeof buf - 1, 0);
      ::close(fd_);
      fd_ = -1;
      if (err != EWOULDBLOCK) {
        throw Error(ErrorKind::kIo, fmt::format("cannot lock: {}", std::strerror(err)), {lock_file.string(), 0, ""});
      }
      std::string holder = n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string("?");
      while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
      throw Error(ErrorKind::kConflict,
                  fmt::format("another process (pid {}) is running {}; wait for it to finish (lock file {})", holder,
                              what, lock_file.string()));
    }
    struct stat by_fd {
    }, by_name{};
    if (::fstat(fd_, &by_fd) == 0 && ::stat(lock_file.c_str(), &by_name) == 0 && by_fd.st_ino == by_name.st_ino &&
        by_fd.st_dev == by_name.st_dev) {
      std::string pid = std::to_string(::getpid()) + "\n";
      if (::ftruncate(fd_, 0) == 0) (void)!::pwrite(fd_, pid.data(), pid.size(), 0);
      return;
    }
    ::close(fd_);
    fd_ = -1;
  }
  throw Error(ErrorKind::kIo, "cannot take the lock (its file keeps being replaced)", {lock_file.string(), 0, ""});
}

FolderLock::~FolderLock() {
  if (fd_ < 0) return;
  ::unlink(path_.c_str());
  ::close(fd_);
}

}  // namespace caploop
