#include "taxonomy/eval_taxonomy.h"

#include <algorithm>

#include "core/error.h"
#include "io/toml_file.h"
#include "taxonomy/builtin_files.h"

namespace caploop {

std::string_view axis_name(Axis axis) {
  switch (axis) {
    case Axis::kBackground:
      return "background";
    case Axis::kTask:
      return "task";
    case Axis::kOperation:
      return "operation";
    case Axis::kOutput:
      return "output";
  }
  return "";
}

std::optional<Axis> axis_from_name(std::string_view name) {
  for (Axis axis : kAllAxes) {
    if (axis_name(axis) == name) return axis;
  }
  return std::nullopt;
}

bool value_is_under(std::string_view value, std::string_view ancestor) {
  if (value.size() < ancestor.size() || value.substr(0, ancestor.size()) != ancestor) return false;
  return value.size() == ancestor.size() || value[ancestor.size()] == '.';
}

static bool is_well_formed_value(std::string_view value) {
  if (value.empty() || value.front() == '.' || value.back() == '.') return false;
  char previous = '.';
  for (char c : value) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    if (!ok || (c == '.' && previous == '.')) return false;
    previous = c;
  }
  return true;
}

EvalTaxonomy EvalTaxonomy::parse(std::string_view toml_text, const std::string& file_name) {
  toml::table root = parse_toml_or_throw(toml_text, file_name);
  EvalTaxonomy taxonomy;
  taxonomy.source_name_ = file_name;
  for (auto&& [key, node] : root) {
    std::string top(key.str());
    if (top == "version") {
      if (!node.is_integer()) fail_at(file_name, node, top, "'version' must be an integer");
      continue;
    }
    std::optional<Axis> axis = axis_from_name(top);
    if (!axis) {
      fail_at(file_name, node, top, "unknown axis '" + top + "' (expected background, task, operation or output)");
    }
    const toml::table* values = node.as_table();
    if (!values) {
      fail_at(file_name, node, top,
              "axis '" + top + "' must be a table of \"value\" = \"description\", not a " +
                  std::string(type_name_of(node)));
    }
    auto& out = taxonomy.axes_[static_cast<size_t>(*axis)];
    for (auto&& [value_key, description] : *values) {
      std::string value(value_key.str());
      std::string field = top + "." + value;
      if (!is_well_formed_value(value)) {
        fail_at(
            file_name, description, field,
            "malformed value '" + value + "': use lower-case segments of [a-z0-9_] joined by dots, quoted as one key");
      }
      const std::string* text = description.as_string() ? &description.as_string()->get() : nullptr;
      if (!text) {
        fail_at(file_name, description, field,
                "the description of '" + value + "' must be a string, not a " + std::string(type_name_of(description)) +
                    " (a dotted value must be quoted: \"" + value + "\" = \"...\")");
      }
      if (text->empty()) fail_at(file_name, description, field, "the description of '" + value + "' is empty");
      out.push_back(TaxonomyValue{value, *text, line_of(description)});
    }
    std::sort(out.begin(), out.end(), [](const TaxonomyValue& a, const TaxonomyValue& b) { return a.value < b.value; });
    for (size_t i = 1; i < out.size(); ++i) {
      if (out[i].value == out[i - 1].value) {
        throw Error(ErrorKind::kInput, "duplicate value '" + out[i].value + "'",
                    SourceLocation{file_name, std::max(out[i].line, out[i - 1].line), top + "." + out[i].value});
      }
    }
    for (const TaxonomyValue& v : out) {
      std::string_view parent = parent_of(v.value);
      if (!parent.empty() && !taxonomy.contains(*axis, parent)) {
        throw Error(
            ErrorKind::kInput,
            "value '" + v.value + "' has no parent: '" + std::string(parent) + "' is not defined in axis '" + top + "'",
            SourceLocation{file_name, v.line, top + "." + v.value});
      }
    }
  }
  for (Axis axis : kAllAxes) {
    if (taxonomy.values(axis).empty()) {
      throw Error(ErrorKind::kInput, "axis '" + std::string(axis_name(axis)) + "' is missing or empty",
                  SourceLocation{file_name, 0, std::string(axis_name(axis))});
    }
  }
  return taxonomy;
}

EvalTaxonomy EvalTaxonomy::load(const std::filesystem::path& path) {
  return parse(read_text_file(path), path.string());
}

const EvalTaxonomy& EvalTaxonomy::builtin() {
  static const EvalTaxonomy taxonomy = parse(builtin_eval_taxonomy_toml(), std::string(kBuiltinEvalTaxonomyName));
  return taxonomy;
}

const TaxonomyValue* EvalTaxonomy::find(Axis axis, std::string_view value) const {
  const auto& list = values(axis);
  auto it = std::lower_bound(list.begin(), list.end(), value,
                             [](const TaxonomyValue& v, std::string_view x) { return v.value < x; });
  return (it != list.end() && it->value == value) ? &*it : nullptr;
}

bool EvalTaxonomy::contains(Axis axis, std::string_view value) const { return find(axis, value) != nullptr; }

std::string_view EvalTaxonomy::parent_of(std::string_view value) {
  size_t dot = value.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : value.substr(0, dot);
}

std::vector<std::string> EvalTaxonomy::ancestors_of(std::string_view value) {
  std::vector<std::string> out;
  for (size_t dot = value.find('.'); dot != std::string_view::npos; dot = value.find('.', dot + 1)) {
    out.emplace_back(value.substr(0, dot));
  }
  return out;
}

}  // namespace caploop
