// TextStore: the content-addressed texts of a workspace (prompts, questions, references, item metadata), each
// distinct text stored once whatever the runs, tasks and items that use it, and the per-task compression
// dictionaries that texts and responses are compressed with.
//
// Contract: intern(text, dictionary) returns the id of the row of `texts` whose digest (XXH3-128 of the bytes) is
// the text's, inserting it (encoded by TextCodec with `dictionary`) when new; the same bytes always give the same
// id, in any run. A text keeps the dictionary it was first stored with. read(id) gives the bytes back.
// task_dictionary(benchmark, task) is the id of the task's dictionary (0 when it has none);
// create_task_dictionary() stores one: the raw bytes given (the task's first prompt and responses, at most
// kMaxDictionaryBytes). Writes must happen inside a Transaction of the WorkspaceDb's connection. Keeps an
// in-memory map of the digests it has seen (16 bytes and an id per distinct text). Not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/workspace_db.h"

namespace caploop {

inline constexpr size_t kMaxDictionaryBytes = 96 * 1024;

using TextDigest = std::array<uint8_t, 16>;
TextDigest text_digest(std::string_view text);

// The bytes of a task's dictionary made from its first item: the prompt, then the responses, at most
// kMaxDictionaryBytes (opening with a newline: never zstd's dictionary magic number, so always raw content).
std::string task_dictionary_bytes(std::string_view prompt, const std::vector<std::string_view>& responses);

class TextStore {
 public:
  explicit TextStore(WorkspaceDb& ws);

  int64_t intern(std::string_view text, int64_t dictionary);
  // The same, with the text's digest computed beforehand (text_digest(text), e.g. on another thread).
  int64_t intern(std::string_view text, const TextDigest& digest, int64_t dictionary);
  std::string read(int64_t id);

  int64_t task_dictionary(const std::string& benchmark, const std::string& task);
  // `id` 0: numbered by SQLite (the largest id + 1); else that id (ItemEncoder numbers the ones it creates).
  int64_t create_task_dictionary(const std::string& benchmark, const std::string& task, std::string_view bytes,
                                 int64_t id = 0);
  // The task's dictionary, created from its first item (the prompt, then the responses) when it has none yet.
  int64_t ensure_task_dictionary(const std::string& benchmark, const std::string& task, std::string_view prompt,
                                 const std::vector<std::string_view>& responses);

 private:
  // The ids of the digests seen, open addressing (a digest is uniformly random: its first bytes are the hash).
  class DigestIds {
   public:
    int64_t find(const TextDigest& d) const;  // 0: not seen
    void add(const TextDigest& d, int64_t id);

   private:
    struct Slot {
      TextDigest digest{};
      int64_t id = 0;  // 0: empty (text ids start at 1)
    };
    size_t slot_of(const TextDigest& d) const;
    std::vector<Slot> slots_ = std::vector<Slot>(1024);
    size_t used_ = 0;
  };
  WorkspaceDb& ws_;
  Statement find_, insert_, read_, find_dictionary_, insert_dictionary_;
  DigestIds known_;
  std::map<std::pair<std::string, std::string>, int64_t> dictionaries_;
};

}  // namespace caploop
