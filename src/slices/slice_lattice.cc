#include "slices/slice_lattice.h"

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>

#include "slices/item_bitset.h"
#include "slices/slice_label.h"
#include "taxonomy/eval_taxonomy.h"

namespace caploop {

namespace {

int actionability_rank(const std::string& key) {
  static const std::vector<std::string> kOrder = {"operation", "task",  "background", "task_name",
                                                  "subject",   "level", "benchmark",  "output"};
  const auto it = std::find(kOrder.begin(), kOrder.end(), key);
  return static_cast<int>(it - kOrder.begin());
}

std::vector<int> actionability_ranks(const SliceKey& k) {
  std::vector<int> ranks;
  for (const SliceCondition& c : k.conditions) ranks.push_back(actionability_rank(c.key));
  std::sort(ranks.begin(), ranks.end());
  return ranks;
}

}  // namespace

bool names_slice_better(const SliceKey& a, const SliceKey& b) {
  if (a.order() != b.order()) return a.order() < b.order();
  const std::vector<int> ra = actionability_ranks(a), rb = actionability_ranks(b);
  if (ra != rb) return ra < rb;
  return a < b;
}

std::string SliceKey::to_string() const { return slice_label(tags()); }

std::vector<std::string> SliceKey::tags() const {
  std::vector<std::string> out;
  out.reserve(conditions.size());
  for (const SliceCondition& c : conditions) out.push_back(c.key + "=" + c.value);
  return out;
}

namespace {

// The ItemTags dimension behind a dimension key ("task_name" reads the dimension "task").
std::string_view dimension_name(std::string_view key) { return key == "task_name" ? "task" : key; }

// The values an item carries for a key: axis values with all their ancestors, or the dimension's value.
void values_of(const ItemTags& item, std::string_view key, std::optional<Axis> axis, std::vector<std::string>& out) {
  out.clear();
  if (axis) {
    for (const std::string& v : item.values(*axis)) {
      out.push_back(v);
      for (std::string& a : EvalTaxonomy::ancestors_of(v)) out.push_back(std::move(a));
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  } else {
    auto it = item.dims.find(std::string(dimension_name(key)));
    if (it != item.dims.end()) out.push_back(it->second);
  }
}

struct Atom {
  SliceCondition condition;
  std::vector<uint32_t> items;
};

// The item at position i of a span of items or of pointers to items (callers that hold the tags inside larger
// records pass pointers instead of copying every item's tags).
const ItemTags& item_at(std::span<const ItemTags> items, size_t i) { return items[i]; }
const ItemTags& item_at(std::span<const ItemTags* const> items, size_t i) { return *items[i]; }

// Every (key, value) with its ascending item list, sorted by condition.
template <typename Items>
std::vector<Atom> collect_atoms(Items items, const std::vector<std::string>& keys) {
  std::vector<std::string> sorted_keys = keys;
  std::sort(sorted_keys.begin(), sorted_keys.end());
  sorted_keys.erase(std::unique(sorted_keys.begin(), sorted_keys.end()), sorted_keys.end());
  std::vector<Atom> atoms;
  std::vector<std::string> values;
  for (const std::string& key : sorted_keys) {
    const std::optional<Axis> axis = axis_from_name(key);
    std::unordered_map<std::string, size_t> index;  // value -> position in `found`; never iterated
    std::vector<Atom> found;
    for (size_t i = 0; i < items.size(); ++i) {
      values_of(item_at(items, i), key, axis, values);
      for (std::string& v : values) {
        auto [it, inserted] = index.try_emplace(v, found.size());
        if (inserted) found.push_back(Atom{SliceCondition{key, std::move(v)}, {}});
        found[it->second].items.push_back(static_cast<uint32_t>(i));
      }
    }
    std::sort(found.begin(), found.end(), [](const Atom& a, const Atom& b) { return a.condition < b.condition; });
    for (Atom& a : found) atoms.push_back(std::move(a));
  }
  return atoms;
}

// Drops, on each axis key, a value whose item set equals that of a value strictly below it.
void drop_values_equal_to_a_descendant(std::vector<Atom>& atoms) {
  std::vector<bool> drop(atoms.size(), false);
  for (size_t a = 0; a < atoms.size(); ++a) {
    if (!axis_from_name(atoms[a].condition.key)) continue;
    // Values are sorted, so the descendants of atoms[a] follow it directly within the same key.
    for (size_t b = a + 1; b < atoms.size() && atoms[b].condition.key == atoms[a].condition.key; ++b) {
      if (!value_is_under(atoms[b].condition.value, atoms[a].condition.value)) break;
      if (atoms[b].items.size() == atoms[a].items.size()) {
        drop[a] = true;
        break;
      }
    }
  }
  size_t kept = 0;
  for (size_t a = 0; a < atoms.size(); ++a) {
    if (drop[a]) continue;
    if (kept != a) atoms[kept] = std::move(atoms[a]);
    ++kept;
  }
  atoms.resize(kept);
}

// A kept conjunction during the walk: its atoms (ascending, distinct keys), size and, while it may still be
// extended, its bitset.
struct Node {
  std::vector<uint32_t> atoms;
  int64_t size = 0;
  ItemBitset bits;
};

}  // namespace

std::vector<ValueSupport> value_supports(std::span<const ItemTags> items, const std::vector<std::string>& keys) {
  std::vector<ValueSupport> out;
  for (Atom& a : collect_atoms(items, keys)) {
    out.push_back(ValueSupport{std::move(a.condition), static_cast<int64_t>(a.items.size())});
  }
  return out;
}

namespace {

template <typename Items>
std::vector<Slice> enumerate_slices_of(Items items, const LatticeOptions& options) {
  std::vector<Slice> out;
  if (options.max_order < 1 || items.empty()) return out;
  const int64_t min_support = std::max<int64_t>(options.min_support, 1);

  std::vector<Atom> atoms = collect_atoms(items, options.keys);
  std::erase_if(atoms, [&](const Atom& a) { return static_cast<int64_t>(a.items.size()) < min_support; });
  drop_values_equal_to_a_descendant(atoms);

  // Atoms' key ranks, so "distinct and ascending keys" is an integer comparison.
  std::vector<uint32_t> key_rank(atoms.size());
  for (size_t a = 1; a < atoms.size(); ++a) {
    key_rank[a] = key_rank[a - 1] + (atoms[a].condition.key != atoms[a - 1].condition.key ? 1 : 0);
  }
  std::vector<ItemBitset> atom_bits(atoms.size(), ItemBitset(items.size()));
  for (size_t a = 0; a < atoms.size(); ++a) atom_bits[a].set_all(atoms[a].items);

  std::vector<Node> level;
  for (size_t a = 0; a < atoms.size(); ++a) {
    out.push_back(Slice{SliceKey{{atoms[a].condition}}, atoms[a].items});
    level.push_back(Node{{static_cast<uint32_t>(a)}, static_cast<int64_t>(atoms[a].items.size()), {}});
  }

  for (int order = 2; order <= options.max_order && !level.empty(); ++order) {
    // Sizes of the previous level's nodes by their atoms, to check every parent of a candidate.
    std::map<std::vector<uint32_t>, int64_t> previous;
    for (const Node& n : level) previous.emplace(n.atoms, n.size);
    const bool extend_further = order < options.max_order;
    std::vector<Node> next;
    std::vector<uint32_t> parent;
    for (const Node& node : level) {
      const ItemBitset& node_bits = node.atoms.size() == 1 ? atom_bits[node.atoms[0]] : node.bits;
      for (size_t a = node.atoms.back() + 1; a < atoms.size(); ++a) {
        if (key_rank[a] == key_rank[node.atoms.back()]) continue;
        const int64_t atom_size = static_cast<int64_t>(atoms[a].items.size());
        const int64_t size = node_bits.intersection_count(atom_bits[a]);
        if (size < min_support || size >= node.size || size >= atom_size) continue;
        std::vector<uint32_t> candidate = node.atoms;
        candidate.push_back(static_cast<uint32_t>(a));
        bool parents_ok = true;
        for (size_t drop = 0; drop < node.atoms.size() && parents_ok; ++drop) {
          parent.clear();
          for (size_t k = 0; k < candidate.size(); ++k) {
            if (k != drop) parent.push_back(candidate[k]);
          }
          auto it = previous.find(parent);
          parents_ok = it != previous.end() && size < it->second;
        }
        if (!parents_ok) continue;
        ItemBitset bits = node_bits.intersect(atom_bits[a]);
        Slice slice;
        for (uint32_t c : candidate) slice.key.conditions.push_back(atoms[c].condition);
        slice.items = bits.members();
        out.push_back(std::move(slice));
        next.push_back(Node{std::move(candidate), size, extend_further ? std::move(bits) : ItemBitset{}});
      }
    }
    level = std::move(next);
  }
  // Generation order is already by order then by atom indices, i.e. by conditions; the sort makes it explicit.
  std::stable_sort(out.begin(), out.end(), [](const Slice& a, const Slice& b) {
    if (a.key.order() != b.key.order()) return a.key.order() < b.key.order();
    return a.key < b.key;
  });
  return out;
}

}  // namespace

std::vector<Slice> enumerate_slices(std::span<const ItemTags> items, const LatticeOptions& options) {
  return enumerate_slices_of(items, options);
}

std::vector<Slice> enumerate_slices(std::span<const ItemTags* const> items, const LatticeOptions& options) {
  return enumerate_slices_of(items, options);
}

bool item_matches(const ItemTags& item, const SliceCondition& condition) {
  if (const std::optional<Axis> axis = axis_from_name(condition.key)) return item.has_under(*axis, condition.value);
  auto it = item.dims.find(std::string(dimension_name(condition.key)));
  return it != item.dims.end() && it->second == condition.value;
}

}  // namespace caploop
