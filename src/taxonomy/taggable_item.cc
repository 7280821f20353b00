#include "taxonomy/taggable_item.h"

#include <algorithm>

namespace caploop {

bool ItemTags::has_under(Axis axis, std::string_view ancestor) const {
  for (const std::string& v : values(axis)) {
    if (value_is_under(v, ancestor)) return true;
  }
  return false;
}

void ItemTags::add(Axis axis, std::string value) {
  auto& list = values(axis);
  auto it = std::lower_bound(list.begin(), list.end(), value);
  if (it == list.end() || *it != value) list.insert(it, std::move(value));
}

}  // namespace caploop
