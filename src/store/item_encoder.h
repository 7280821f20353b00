// ItemEncoder: the part of storing an item that needs no database, so that it can run on the importer's thread
// while the writer's thread only inserts: the content digests of the item's texts (TextStore's content addresses)
// and its responses compressed (TextCodec) with its task's dictionary, creating that dictionary from the item when
// it is the first of a task the workspace has none for.
//
// Contract: construct on the writer's thread, before the run's transaction writes anything else that uses
// dictionaries (it reads the workspace's dictionaries once and numbers the ones it creates after them, as SQLite
// would number them on insert); afterwards encode() touches no database and may run on one other thread.
// encode() returns the stored form RunWriter::add_encoded() writes: byte for byte what RunWriter::add_item stored
// before encoding moved (the same digests, dictionaries, bodies and dictionary ids). A dictionary it creates travels
// with the first item of its task (EncodedItem::new_dictionary): that item must be written before any later one,
// in order. A response whose bytes the encoder has compressed before with the same dictionary (a model that gives the
// same long answer to several items, a run repeated) reuses that stored form instead of compressing again (zstd
// is deterministic: the bytes are the same); at most kMaxReusedBodyBytes of stored forms are kept for this.
// Not thread-safe: one thread at a time.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "io/ingest_records.h"
#include "store/text_codec.h"
#include "store/text_store.h"
#include "store/workspace_db.h"

namespace caploop {

struct EncodedResponse {
  bool raw = true;  // body is the text itself (TEXT), else a zstd frame made with the item's dictionary (BLOB)
  std::string body;
};

struct EncodedItem {
  ItemRecord item;
  std::vector<ResponseRecord> responses;  // texts moved out: their stored form is `bodies`
  std::vector<EncodedResponse> bodies;    // one per response, in order
  int64_t dictionary = 0;                 // the task's dictionary id
  std::string new_dictionary;             // non-empty: the bytes of `dictionary`, created by this item
  TextDigest content_digest{};            // of the question, or the prompt when the item gives none
  TextDigest metadata_digest{};           // of the metadata JSON ("{}" when empty)
  TextDigest prompt_digest{};
  TextDigest reference_digest{};
  // The item's texts as stored: question (or prompt) and metadata ("{}" when empty).
  std::string_view content() const { return item.question.empty() ? item.prompt : item.question; }
  std::string_view metadata() const {
    return item.metadata_json.empty() ? std::string_view("{}") : std::string_view(item.metadata_json);
  }
};

inline constexpr size_t kMaxReusedBodyBytes = size_t{32} << 20;

class ItemEncoder {
 public:
  explicit ItemEncoder(WorkspaceDb& ws);
  ItemEncoder(const ItemEncoder&) = delete;
  ItemEncoder& operator=(const ItemEncoder&) = delete;

  EncodedItem encode(ItemRecord item, std::vector<ResponseRecord> responses);

 private:
  std::unordered_map<int64_t, std::string> dictionary_bytes_;            // id -> bytes, the stored and the created ones
  std::map<std::pair<std::string, std::string>, int64_t> dictionaries_;  // (benchmark, task) -> id
  int64_t next_dictionary_id_ = 1;
  TextCodec codec_;
  // Stored forms of the compressed responses seen, by dictionary and digest of the text.
  struct BodyKey {
    int64_t dictionary;
    TextDigest digest;
    bool operator==(const BodyKey&) const = default;
  };
  struct BodyKeyHash {
    size_t operator()(const BodyKey& k) const;
  };
  std::unordered_map<BodyKey, std::string, BodyKeyHash> bodies_;
  size_t body_bytes_ = 0;
  std::pair<std::string, std::string> current_task_;
  int64_t current_dictionary_ = 0;
};

}  // namespace caploop
