#include "taxonomy/annotation_set.h"

#include <simdjson.h>

#include "io/toml_file.h"

namespace caploop {

namespace {

std::string item_key(std::string_view benchmark, std::string_view task, std::string_view id) {
  std::string key;
  key.reserve(benchmark.size() + task.size() + id.size() + 2);
  key.append(benchmark).push_back('\x1f');
  key.append(task).push_back('\x1f');
  key.append(id);
  return key;
}

std::string required_string(simdjson::dom::object object, const char* field, const SourceLocation& line) {
  simdjson::dom::element element;
  SourceLocation at{line.file, line.line, field};
  if (object[field].get(element)) throw_input_error(std::string("missing field '") + field + "'", at);
  if (element.is_string()) return std::string(std::string_view(element));
  if (std::string(field) == "id" && (element.is_int64() || element.is_uint64())) return simdjson::minify(element);
  throw_input_error(
      std::string("field '") + field + "' must be a string" + (std::string(field) == "id" ? " or an integer" : ""), at);
}

}  // namespace

AnnotationSet AnnotationSet::parse(std::string_view jsonl, const std::string& file_name, const EvalTaxonomy& taxonomy) {
  AnnotationSet set;
  simdjson::dom::parser parser;
  int64_t line_number = 0;
  size_t start = 0;
  while (start < jsonl.size()) {
    size_t end = jsonl.find('\n', start);
    if (end == std::string_view::npos) end = jsonl.size();
    std::string_view line = jsonl.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;

    SourceLocation here{file_name, line_number, ""};
    simdjson::dom::object object;
    if (auto error = parser.parse(line.data(), line.size(), true).get(object)) {
      throw_input_error(std::string("not a JSON object: ") + simdjson::error_message(error), here);
    }
    std::string benchmark = required_string(object, "benchmark", here);
    std::string task = required_string(object, "task", here);
    std::string id = required_string(object, "id", here);

    ItemAnnotation annotation;
    annotation.origin = here;
    simdjson::dom::element mode;
    if (!object["mode"].get(mode)) {
      std::string_view text;
      if (mode.get(text) || (text != "override" && text != "extend")) {
        throw_input_error("'mode' must be \"override\" or \"extend\"", SourceLocation{file_name, line_number, "mode"});
      }
      annotation.mode = text == "override" ? AnnotationMode::kOverride : AnnotationMode::kExtend;
    }
    simdjson::dom::object tags;
    simdjson::dom::element tags_element;
    if (object["tags"].get(tags_element)) throw_input_error("missing field 'tags'", {file_name, line_number, "tags"});
    if (tags_element.get(tags)) {
      throw_input_error("'tags' must be an object of axis -> [values]", {file_name, line_number, "tags"});
    }
    for (auto [axis_name_view, values] : tags) {
      std::string field = "tags." + std::string(axis_name_view);
      std::optional<Axis> axis = axis_from_name(axis_name_view);
      if (!axis)
        throw_input_error("unknown axis '" + std::string(axis_name_view) + "'", {file_name, line_number, field});
      simdjson::dom::array list;
      if (values.get(list))
        throw_input_error("'" + field + "' must be a list of strings", {file_name, line_number, field});
      size_t a = static_cast<size_t>(*axis);
      annotation.names_axis[a] = true;
      for (simdjson::dom::element value : list) {
        std::string_view text;
        if (value.get(text))
          throw_input_error("'" + field + "' must be a list of strings", {file_name, line_number, field});
        if (!taxonomy.contains(*axis, text)) {
          throw_input_error("'" + std::string(text) + "' is not a value of axis '" + std::string(axis_name_view) +
                                "' in taxonomy " + taxonomy.source_name(),
                            {file_name, line_number, field});
        }
        annotation.tags[a].emplace_back(text);
      }
    }
    auto [it, inserted] = set.by_item_.emplace(item_key(benchmark, task, id), std::move(annotation));
    if (!inserted) {
      throw Error(ErrorKind::kInput,
                  "a second annotation for item " + benchmark + "/" + task + "/" + id + " (first on line " +
                      std::to_string(it->second.origin.line) + ")",
                  SourceLocation{file_name, line_number, "id"});
    }
  }
  return set;
}

AnnotationSet AnnotationSet::load(const std::filesystem::path& path, const EvalTaxonomy& taxonomy) {
  return parse(read_text_file(path), path.string(), taxonomy);
}

const ItemAnnotation* AnnotationSet::find(std::string_view benchmark, std::string_view task,
                                          std::string_view id) const {
  auto it = by_item_.find(item_key(benchmark, task, id));
  return it == by_item_.end() ? nullptr : &it->second;
}

void apply_annotation(const ItemAnnotation& annotation, ItemTags& tags) {
  for (Axis axis : kAllAxes) {
    size_t a = static_cast<size_t>(axis);
    if (!annotation.names_axis[a]) continue;
    if (annotation.mode == AnnotationMode::kOverride) tags.values(axis).clear();
    for (const std::string& value : annotation.tags[a]) tags.add(axis, value);
  }
}

}  // namespace caploop
