#include "store/text_store.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cstring>

#include "core/error.h"

namespace caploop {

TextDigest text_digest(std::string_view text) {
  XXH128_hash_t h = XXH3_128bits(text.data(), text.size());
  XXH128_canonical_t c;
  XXH128_canonicalFromHash(&c, h);
  TextDigest d;
  std::memcpy(d.data(), c.digest, d.size());
  return d;
}

size_t TextStore::DigestIds::slot_of(const TextDigest& d) const {
  uint64_t h;
  std::memcpy(&h, d.data(), sizeof h);
  size_t mask = slots_.size() - 1;
  size_t i = static_cast<size_t>(h) & mask;
  while (slots_[i].id != 0 && slots_[i].digest != d) i = (i + 1) & mask;
  return i;
}

int64_t TextStore::DigestIds::find(const TextDigest& d) const { return slots_[slot_of(d)].id; }

void TextStore::DigestIds::add(const TextDigest& d, int64_t id) {
  if (2 * (used_ + 1) > slots_.size()) {  // at most half full
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    for (const Slot& s : old) {
      if (s.id != 0) slots_[slot_of(s.digest)] = s;
    }
  }
  Slot& slot = slots_[slot_of(d)];
  if (slot.id == 0) ++used_;
  slot = {d, id};
}

TextStore::TextStore(WorkspaceDb& ws)
    : ws_(ws),
      find_(ws.db(), "SELECT id FROM texts WHERE digest = ?"),
      insert_(ws.db(), "INSERT INTO texts(digest, dictionary, body) VALUES(?, ?, ?)"),
      read_(ws.db(), "SELECT dictionary, body FROM texts WHERE id = ?"),
      find_dictionary_(ws.db(), "SELECT id FROM dictionaries WHERE benchmark = ? AND task = ?"),
      insert_dictionary_(ws.db(), "INSERT INTO dictionaries(id, benchmark, task, body) VALUES(?, ?, ?, ?)") {}

int64_t TextStore::intern(std::string_view text, int64_t dictionary) {
  return intern(text, text_digest(text), dictionary);
}

int64_t TextStore::intern(std::string_view text, const TextDigest& digest, int64_t dictionary) {
  if (int64_t id = known_.find(digest)) return id;
  std::string_view key(reinterpret_cast<const char*>(digest.data()), digest.size());
  find_.bind_blob(1, key);
  int64_t id = 0;
  if (find_.step()) id = find_.int64(0);
  find_.reset();
  if (id == 0) {
    TextCodec::Encoded e = ws_.codec().encode(text, dictionary);
    insert_.bind_blob(1, key);
    if (e.raw) {
      insert_.bind_null(2).bind(3, e.body);
    } else {
      insert_.bind(2, dictionary).bind_blob(3, e.body);
    }
    insert_.run();
    id = ws_.db().last_insert_rowid();
  }
  known_.add(digest, id);
  return id;
}

std::string TextStore::read(int64_t id) {
  read_.bind(1, id);
  if (!read_.step()) {
    read_.reset();
    throw Error(ErrorKind::kStore, "workspace text " + std::to_string(id) + " is missing (damaged workspace?)");
  }
  std::string out = ws_.codec().decode(read_.blob(1), !read_.is_blob(1), read_.is_null(0) ? 0 : read_.int64(0));
  read_.reset();
  return out;
}

int64_t TextStore::task_dictionary(const std::string& benchmark, const std::string& task) {
  auto key = std::make_pair(benchmark, task);
  if (auto it = dictionaries_.find(key); it != dictionaries_.end()) return it->second;
  find_dictionary_.bind(1, std::string_view(benchmark)).bind(2, std::string_view(task));
  int64_t id = find_dictionary_.step() ? find_dictionary_.int64(0) : 0;
  find_dictionary_.reset();
  if (id != 0) dictionaries_[key] = id;
  return id;
}

int64_t TextStore::create_task_dictionary(const std::string& benchmark, const std::string& task, std::string_view bytes,
                                          int64_t id) {
  bytes = bytes.substr(0, kMaxDictionaryBytes);
  if (id == 0) {
    insert_dictionary_.bind_null(1);
  } else {
    insert_dictionary_.bind(1, id);
  }
  insert_dictionary_.bind(2, std::string_view(benchmark)).bind(3, std::string_view(task)).bind_blob(4, bytes).run();
  id = ws_.db().last_insert_rowid();
  ws_.codec().add_dictionary(id, bytes);
  dictionaries_[{benchmark, task}] = id;
  return id;
}

int64_t TextStore::ensure_task_dictionary(const std::string& benchmark, const std::string& task,
                                          std::string_view prompt, const std::vector<std::string_view>& responses) {
  if (int64_t id = task_dictionary(benchmark, task)) return id;
  return create_task_dictionary(benchmark, task, task_dictionary_bytes(prompt, responses));
}

std::string task_dictionary_bytes(std::string_view prompt, const std::vector<std::string_view>& responses) {
  std::string bytes = "\n";  // never zstd's dictionary magic number: always raw content
  bytes.append(prompt.substr(0, kMaxDictionaryBytes - 1));
  for (std::string_view r : responses) {
    if (bytes.size() >= kMaxDictionaryBytes) break;
    bytes += '\n';
    bytes.append(r.substr(0, kMaxDictionaryBytes - std::min(bytes.size(), kMaxDictionaryBytes)));
  }
  return bytes;
}

}  // namespace caploop
