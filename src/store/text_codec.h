// TextCodec: how the workspace stores a text: short texts as they are, longer ones as one zstd frame, compressed
// with the raw-content dictionary of their task when there is one (the task's first prompt and responses: the
// few-shot exemplars every later prompt repeats, the phrasing every response shares).
//
// Contract: encode(text, dictionary) returns the stored form: `raw` true and the text unchanged when compression
// would not make it smaller (short texts, incompressible ones), else a zstd frame made with dictionary
// `dictionary` (0: none). decode() of what encode() returned gives back the same bytes, whatever they are (invalid
// UTF-8 and empty texts included). decoded_size() reads the size from the frame header without decompressing.
// Dictionaries are registered by id (add_dictionary) before texts using them are encoded or decoded; a missing
// one is asked for through the `load` callback given at construction (the store reads it from its table), and a
// frame that does not decode throws Error(kStore). Not thread-safe: one TextCodec per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace caploop {

class TextCodec {
 public:
  // Returns the dictionary bytes of id `id`, or nullopt when there is none (then decoding throws kStore).
  using DictionaryLoader = std::function<std::optional<std::string>(int64_t id)>;

  explicit TextCodec(DictionaryLoader load = {});
  ~TextCodec();
  TextCodec(const TextCodec&) = delete;
  TextCodec& operator=(const TextCodec&) = delete;

  void add_dictionary(int64_t id, std::string_view bytes);
  bool has_dictionary(int64_t id) const { return dictionaries_.count(id) != 0; }

  struct Encoded {
    bool raw = true;        // body is the text itself
    std::string_view body;  // valid until the next encode()
  };
  Encoded encode(std::string_view text, int64_t dictionary);
  // `raw` bodies come back unchanged; others are decompressed with `dictionary` (0: none).
  std::string decode(std::string_view body, bool raw, int64_t dictionary);
  // The decoded size; for a frame, from its header (no decompression).
  int64_t decoded_size(std::string_view body, bool raw) const;

 private:
  struct Dictionary;
  Dictionary& dictionary(int64_t id);
  DictionaryLoader load_;
  std::unordered_map<int64_t, std::unique_ptr<Dictionary>> dictionaries_;
  struct Contexts;
  std::unique_ptr<Contexts> ctx_;
  std::string buffer_;
};

}  // namespace caploop
