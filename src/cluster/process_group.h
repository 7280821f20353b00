// ProcessGroup: the processes one command runs as. A plain run is a group of one; the same binary started by
// `mpirun -np N` is a group of N ranks (OpenMPI), each taking a deterministic share of the shards.
//
// Contract: ProcessGroup::current() initialises MPI once, only when the process was started by an MPI launcher
// (OMPI_COMM_WORLD_SIZE / PMI_SIZE in the environment) and MPI support was built in; otherwise it returns a
// group of one without touching MPI. Finalisation happens at exit. rank() in [0, size()). barrier() and
// gather_to_root() are collective: every rank must call them in the same order; gather_to_root() returns, on
// rank 0, the strings of all ranks in rank order (on other ranks an empty vector). A failure of the MPI layer
// throws caploop::Error (kIo). Not thread-safe: call from the main thread only.
#pragma once

#include <string>
#include <vector>

namespace caploop {

class ProcessGroup {
 public:
  static ProcessGroup& current();

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool is_root() const { return rank_ == 0; }
  bool distributed() const { return size_ > 1; }

  void barrier();
  std::vector<std::string> gather_to_root(const std::string& mine);

 private:
  ProcessGroup() = default;
  int rank_ = 0;
  int size_ = 1;
  bool mpi_ = false;
};

}  // namespace caploop
