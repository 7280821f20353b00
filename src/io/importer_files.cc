#include "io/importer_files.h"

#include <fmt/format.h>

#include <algorithm>

#include "io/json_fields.h"
#include "io/line_reader.h"

namespace caploop {

namespace fs = std::filesystem;

namespace {

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

int64_t read_lines(const fs::path& path, JsonParser& parser, Progress* progress, const JsonRecordVisitor& visit) {
  LineReader reader(path);
  std::string_view line;
  int64_t records = 0;
  uint64_t reported = 0;
  while (reader.next(line)) {
    if (progress != nullptr) {
      progress->advance(reader.bytes_read() - reported);
      reported = reader.bytes_read();
    }
    if (is_blank(line)) continue;
    SourceLocation where{path.string(), reader.line_number(), ""};
    simdjson::dom::element record = parser.parse(line, where);
    visit(record, where);
    ++records;
  }
  if (records == 0) throw_input_error("empty file: no JSON records", {path.string(), 0, ""});
  return records;
}

int64_t read_document(const fs::path& path, std::string_view records_pointer, JsonParser& parser, Progress* progress,
                      const JsonRecordVisitor& visit) {
  std::string text = read_whole_file(path);
  SourceLocation file{path.string(), 0, ""};
  simdjson::dom::element root = parser.parse(text, file);
  if (progress != nullptr) progress->advance(text.size());
  simdjson::dom::array records = json_array(root, records_pointer, file);
  int64_t index = 0;
  for (simdjson::dom::element record : records) {
    SourceLocation where{path.string(), 0, fmt::format("{}/{}", records_pointer, index)};
    visit(record, where);
    ++index;
  }
  if (index == 0) {
    throw_input_error("no records: the array of records is empty", at_field(file, records_pointer));
  }
  return index;
}

}  // namespace

std::string name_without_compression(const fs::path& path) {
  std::string name = path.filename().string();
  for (std::string_view suffix : {".gz", ".zst", ".zstd"}) {
    if (lowercase(name).ends_with(suffix)) return name.substr(0, name.size() - suffix.size());
  }
  return name;
}

JsonLayout json_layout_by_name(const fs::path& path) {
  std::string name = lowercase(name_without_compression(path));
  return name.ends_with(".jsonl") || name.ends_with(".ndjson") ? JsonLayout::kLines : JsonLayout::kDocument;
}

bool file_starts_with_array(const fs::path& path) {
  LineReader reader(path);
  std::string_view line;
  while (reader.next(line)) {
    size_t first = line.find_first_not_of(" \t\r");
    if (first != std::string_view::npos) return line[first] == '[';
  }
  return false;
}

std::vector<fs::path> find_files(const fs::path& dir, const std::function<bool(const std::string& name)>& keep) {
  std::vector<fs::path> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::follow_directory_symlink, ec);
  if (ec) throw Error(ErrorKind::kIo, fmt::format("cannot list directory: {}", ec.message()), {dir.string(), 0, ""});
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) throw Error(ErrorKind::kIo, fmt::format("cannot list directory: {}", ec.message()), {dir.string(), 0, ""});
    if (it->is_regular_file() && keep(it->path().filename().string())) found.push_back(it->path());
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::string json_pointer_token(std::string_view key) {
  std::string out = "/";
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

int64_t read_json_records(const fs::path& path, JsonLayout layout, std::string_view records_pointer, JsonParser& parser,
                          Progress* progress, const JsonRecordVisitor& visit) {
  return layout == JsonLayout::kLines ? read_lines(path, parser, progress, visit)
                                      : read_document(path, records_pointer, parser, progress, visit);
}

}  // namespace caploop
