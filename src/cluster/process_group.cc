#include "cluster/process_group.h"

#include <fmt/format.h>

#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "core/error.h"

#if CAPLOOP_HAVE_MPI
// The C API only: without these, mpi.h from C++ pulls in the deprecated C++ bindings (libmpi_cxx).
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace caploop {
namespace {

bool launched_by_mpi() {
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"}) {
    const char* v = std::getenv(var);
    if (v != nullptr && *v != '\0') return true;
  }
  return false;
}

#if CAPLOOP_HAVE_MPI
void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) throw Error(ErrorKind::kIo, std::string("MPI ") + what + " failed");
}
void finalize_mpi() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}
#endif

}  // namespace

ProcessGroup& ProcessGroup::current() {
  static ProcessGroup* group = [] {
    auto* g = new ProcessGroup();
#if CAPLOOP_HAVE_MPI
    if (launched_by_mpi()) {
      int initialized = 0;
      MPI_Initialized(&initialized);
      // Worker threads never call MPI; only the main thread does (FUNNELED).
      int provided = 0;
      if (!initialized) check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "init");
      std::atexit(finalize_mpi);
      check(MPI_Comm_rank(MPI_COMM_WORLD, &g->rank_), "rank");
      check(MPI_Comm_size(MPI_COMM_WORLD, &g->size_), "size");
      g->mpi_ = true;
    }
#else
    if (launched_by_mpi())
      throw Error(ErrorKind::kUsage, "started by an MPI launcher, but this caploop was built without MPI support");
#endif
    return g;
  }();
  return *group;
}

void ProcessGroup::barrier() {
#if CAPLOOP_HAVE_MPI
  if (mpi_) check(MPI_Barrier(MPI_COMM_WORLD), "barrier");
#endif
}

std::vector<std::string> ProcessGroup::gather_to_root(const std::string& mine) {
  if (!mpi_) return {mine};
#if CAPLOOP_HAVE_MPI
  if (mine.size() > static_cast<size_t>(std::numeric_limits<int>::max()))
    throw Error(ErrorKind::kIo,
                fmt::format("MPI gather: {} bytes from rank {} is more than one message holds", mine.size(), rank_));
  int len = static_cast<int>(mine.size());
  std::vector<int> lengths(is_root() ? size_ : 0);
  check(MPI_Gather(&len, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, MPI_COMM_WORLD), "gather");
  std::vector<int> offsets(lengths.size());
  int64_t total = 0;
  for (size_t i = 0; i < lengths.size(); ++i) {
    offsets[i] = static_cast<int>(total);
    total += lengths[i];
    if (total > std::numeric_limits<int>::max())
      throw Error(ErrorKind::kIo, "MPI gather: the ranks' messages together exceed 2 GiB");
  }
  std::string all(static_cast<size_t>(total), '\0');
  check(
      MPI_Gatherv(mine.data(), len, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR, 0, MPI_COMM_WORLD),
      "gatherv");
  std::vector<std::string> out;
  for (size_t i = 0; i < lengths.size(); ++i) out.push_back(all.substr(offsets[i], lengths[i]));
  return out;
#else
  return {mine};
#endif
}

}  // namespace caploop
