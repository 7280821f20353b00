#include "taxonomy/tag_coverage.h"

#include <fmt/format.h>

#include <algorithm>

namespace caploop {

namespace {

std::string item_key(const TaggedItem& item) { return item.task + ":" + item.source_id; }

void append_json_string(std::string& out, std::string_view text) {
  out.push_back('"');
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

void append_string_list(std::string& out, const std::vector<std::string>& list) {
  out.push_back('[');
  for (size_t i = 0; i < list.size(); ++i) {
    if (i) out.push_back(',');
    append_json_string(out, list[i]);
  }
  out.push_back(']');
}

}  // namespace

TagCoverage TagCoverage::compute(const EvalTaxonomy& taxonomy, const std::vector<TaggedItem>& items) {
  TagCoverage coverage;
  coverage.items = static_cast<int64_t>(items.size());
  for (Axis axis : kAllAxes) {
    AxisCoverage& out = coverage.axes[static_cast<size_t>(axis)];
    const auto& defined = taxonomy.values(axis);
    for (const TaxonomyValue& v : defined) out.values.push_back(ValueCoverage{v.value, 0, 0});
    auto index_of = [&](std::string_view value) -> int64_t {
      auto it = std::lower_bound(out.values.begin(), out.values.end(), value,
                                 [](const ValueCoverage& c, std::string_view x) { return c.value < x; });
      return (it != out.values.end() && it->value == value) ? it - out.values.begin() : -1;
    };
    std::vector<int64_t> counted_for_item(out.values.size(), -1);  // last item index counted in `under`
    for (size_t i = 0; i < items.size(); ++i) {
      const auto& values = items[i].tags.values(axis);
      if (values.empty()) {
        out.untagged_items.push_back(item_key(items[i]));
        continue;
      }
      ++out.tagged_items;
      for (const std::string& value : values) {
        int64_t index = index_of(value);
        if (index < 0) {
          coverage.unknown_values.push_back(std::string(axis_name(axis)) + "." + value);
          continue;
        }
        ++out.values[index].exact;
        std::vector<std::string> chain = EvalTaxonomy::ancestors_of(value);
        chain.push_back(value);
        for (const std::string& step : chain) {
          int64_t at = index_of(step);
          if (at >= 0 && counted_for_item[at] != static_cast<int64_t>(i)) {
            counted_for_item[at] = static_cast<int64_t>(i);
            ++out.values[at].under;
          }
        }
      }
    }
  }
  std::sort(coverage.unknown_values.begin(), coverage.unknown_values.end());
  coverage.unknown_values.erase(std::unique(coverage.unknown_values.begin(), coverage.unknown_values.end()),
                                coverage.unknown_values.end());
  return coverage;
}

std::string tag_coverage_json(const TagCoverage& coverage, const std::vector<TaggedItem>& items) {
  std::string out = fmt::format("{{\"items\":{},\"axes\":{{", coverage.items);
  for (Axis axis : kAllAxes) {
    const AxisCoverage& a = coverage.axis(axis);
    if (axis != Axis::kBackground) out.push_back(',');
    append_json_string(out, axis_name(axis));
    out += fmt::format(":{{\"tagged\":{},\"untagged\":", a.tagged_items);
    append_string_list(out, a.untagged_items);
    out += ",\"values\":{";
    for (size_t i = 0; i < a.values.size(); ++i) {
      if (i) out.push_back(',');
      append_json_string(out, a.values[i].value);
      out += fmt::format(":{{\"exact\":{},\"under\":{}}}", a.values[i].exact, a.values[i].under);
    }
    out += "}}";
  }
  out += "},\"unknown_values\":";
  append_string_list(out, coverage.unknown_values);
  out += ",\"tagged_items\":[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out.push_back(',');
    out += "{\"item\":";
    append_json_string(out, item_key(items[i]));
    out += ",\"benchmark\":";
    append_json_string(out, items[i].benchmark);
    out += ",\"task\":";
    append_json_string(out, items[i].task);
    out += ",\"tags\":{";
    for (Axis axis : kAllAxes) {
      if (axis != Axis::kBackground) out.push_back(',');
      append_json_string(out, axis_name(axis));
      out.push_back(':');
      append_string_list(out, items[i].tags.values(axis));
    }
    out += "},\"dims\":{";
    bool first = true;
    for (const auto& [name, value] : items[i].tags.dims) {
      if (!first) out.push_back(',');
      first = false;
      append_json_string(out, name);
      out.push_back(':');
      append_json_string(out, value);
    }
    out += "}}";
  }
  out += "]}";
  return out;
}

std::string tag_coverage_text(const TagCoverage& coverage) {
  std::string out = fmt::format("{} items\n", coverage.items);
  for (Axis axis : kAllAxes) {
    const AxisCoverage& a = coverage.axis(axis);
    out += fmt::format("{}: {} tagged, {} with no value\n", axis_name(axis), a.tagged_items, a.untagged_items.size());
    for (const ValueCoverage& v : a.values) {
      if (v.under == 0) continue;
      size_t depth = static_cast<size_t>(std::count(v.value.begin(), v.value.end(), '.'));
      out += fmt::format("  {:<{}}{:<40} {:>7} ({} exact)\n", "", depth * 2, v.value, v.under, v.exact);
    }
  }
  if (!coverage.unknown_values.empty()) {
    out += "values not in the taxonomy:";
    for (const std::string& v : coverage.unknown_values) out += " " + v;
    out += "\n";
  }
  return out;
}

}  // namespace caploop
