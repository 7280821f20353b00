// TokenCounter: how `corpus tag` counts the tokens of a document: by default the estimate ceil(bytes / 4), or
// with a sentencepiece model the number of pieces the model encodes the text into.
//
// Contract: constructing with a model path loads the model (the file's bytes are fingerprinted); a missing or
// unreadable file throws caploop::Error (kNotFound / kIo) and a file sentencepiece cannot load throws kInput,
// naming the file. id() names the counter for the statistics ("estimate:bytes/4", or
// "sentencepiece:<file name>@<16 hex digits of FNV-1a of the model bytes>"), so statistics counted by different
// tokenizers are never added up. count() is const and thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace sentencepiece {
class SentencePieceProcessor;
}

namespace caploop::corpus {

inline constexpr std::string_view kEstimateTokenizer = "estimate:bytes/4";

class TokenCounter {
 public:
  TokenCounter();  // the bytes / 4 estimate
  explicit TokenCounter(const std::filesystem::path& sentencepiece_model);
  ~TokenCounter();
  TokenCounter(const TokenCounter&) = delete;
  TokenCounter& operator=(const TokenCounter&) = delete;

  const std::string& id() const { return id_; }
  uint64_t count(std::string_view text) const;

 private:
  std::string id_;
  std::unique_ptr<sentencepiece::SentencePieceProcessor> processor_;
};

}  // namespace caploop::corpus
