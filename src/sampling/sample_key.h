// SampleKey: the random key that orders the documents of one stream for drawing without replacement.
//
// Contract: sample_key(seed, stream, id) is a pure function of its three arguments (FNV-1a 64 over the seed's
// eight little-endian bytes, the stream name, a 0 byte and the document id, then the splitmix64 finaliser so
// that nearby inputs give unrelated keys). It does not depend on the order documents are read in, on the shard
// a document sits in or on the division of work, so any run with the same seed orders a stream the same way;
// a different seed gives an unrelated order. StreamKeyer hashes the (seed, stream) prefix once for the many
// documents of a stream and gives the same keys. Thread-safe (no mutable state).
#pragma once

#include <cstdint>
#include <string_view>

namespace caploop::sampling {

// The splitmix64 output function: a bijection on 64-bit values that mixes every input bit into every output bit.
uint64_t mix64(uint64_t x);

class StreamKeyer {
 public:
  StreamKeyer(uint64_t seed, std::string_view stream);
  uint64_t key(std::string_view document_id) const;

 private:
  uint64_t prefix_hash_;
};

uint64_t sample_key(uint64_t seed, std::string_view stream, std::string_view document_id);

}  // namespace caploop::sampling
