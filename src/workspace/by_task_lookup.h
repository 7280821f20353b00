// ByTaskLookup: finds a (benchmark, task) key in a std::map for rows that come grouped by task (a run's
// responses, read in id order). The last key's entry is kept, so the map is searched, and the two names copied
// into its key type, once per run of rows of a task rather than once per row.
//
// Contract: `map` (a std::map keyed by std::pair<std::string, std::string>, const or not) outlives the lookup and
// keeps its entries in place while it is used (std::map never moves an entry; inserting through insert_or_get()
// is fine, erasing is not). Not thread-safe: one lookup per thread.
#pragma once

#include <string>
#include <type_traits>
#include <utility>

namespace caploop {

template <class Map>
class ByTaskLookup {
 public:
  using Value = std::conditional_t<std::is_const_v<Map>, const typename Map::mapped_type, typename Map::mapped_type>;
  explicit ByTaskLookup(Map& map) : map_(&map) {}

  // The entry of (benchmark, task), or nullptr when the map has none.
  Value* find(const std::string& benchmark, const std::string& task) {
    if (!same(benchmark, task)) {
      auto it = map_->find(key_);
      value_ = it == map_->end() ? nullptr : &it->second;
    }
    return value_;
  }
  // The entry of (benchmark, task), value-initialised first when the map has none (a map that is not const).
  Value& insert_or_get(const std::string& benchmark, const std::string& task) {
    if (!same(benchmark, task) || value_ == nullptr) value_ = &(*map_)[key_];
    return *value_;
  }

 private:
  // Whether (benchmark, task) is the last key asked for; if not, it becomes the key.
  bool same(const std::string& benchmark, const std::string& task) {
    if (valid_ && key_.first == benchmark && key_.second == task) return true;
    key_ = {benchmark, task};
    valid_ = true;
    return false;
  }
  Map* map_;
  std::pair<std::string, std::string> key_;
  Value* value_ = nullptr;
  bool valid_ = false;
};

}  // namespace caploop
