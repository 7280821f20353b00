// FolderLock: one process at a time in an output folder (or in one share of it).
//
// Contract: the constructor takes an exclusive, non-blocking flock(2) on `lock_file` (created, with its folder,
// when missing) and throws kConflict naming `what`, the lock file and the holder's process id when another
// process holds it. The lock is released, and the lock file removed, when the FolderLock is destroyed; a killed
// holder releases it too (the kernel drops the flock), so a stale lock file never blocks a rerun. Not copyable.
#pragma once

#include <filesystem>
#include <string>

namespace caploop {

class FolderLock {
 public:
  FolderLock(const std::filesystem::path& lock_file, const std::string& what);
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace caploop
