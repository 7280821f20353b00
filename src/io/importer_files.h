// Shared plumbing of the importers: finding input files, telling JSON Lines from whole JSON documents,
// and visiting the records of either kind with a location for every record.
//
// Contract: read_json_records() streams a JSON Lines file line by line (memory bounded by the longest line)
// and reads a JSON document whole. Each record is passed with a SourceLocation naming the file and, for
// JSON Lines, the 1-based line; for a document, line 0 and `field` set to the record's JSON pointer from
// the document root (e.g. "/outputs/17"), which at_field() (io/json_fields.h) extends with the pointer of
// the field at fault. Bad input throws caploop::Error kInput naming file, line and field; an input with no
// records at all is an error. Progress, when given, advances by input bytes consumed. Not thread-safe.
#pragma once

#include <simdjson.h>

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/progress.h"
#include "io/json_parser.h"

namespace caploop {

enum class JsonLayout {
  kLines,     // one JSON value per line (.jsonl, .ndjson); blank lines are skipped
  kDocument,  // one JSON document; records are the elements of an array inside it
};

// The file name without a trailing compression suffix (.gz, .zst, .zstd): "a.jsonl.gz" -> "a.jsonl".
std::string name_without_compression(const std::filesystem::path& path);

// kLines for .jsonl/.ndjson (optionally compressed), kDocument otherwise.
JsonLayout json_layout_by_name(const std::filesystem::path& path);

// True when the first non-blank character of the file is '[' (a JSON array rather than JSON Lines).
bool file_starts_with_array(const std::filesystem::path& path);

// Regular files under `dir` (recursively) whose name satisfies `keep`, sorted by path.
std::vector<std::filesystem::path> find_files(const std::filesystem::path& dir,
                                              const std::function<bool(const std::string& name)>& keep);

// "/" + key with '~' and '/' escaped as RFC 6901 requires.
std::string json_pointer_token(std::string_view key);

using JsonRecordVisitor = std::function<void(simdjson::dom::element record, const SourceLocation& where)>;

// Visits every record of `path`. For kDocument, `records_pointer` names the array of records ("" = the
// root); for kLines it is ignored. Returns the number of records visited.
int64_t read_json_records(const std::filesystem::path& path, JsonLayout layout, std::string_view records_pointer,
                          JsonParser& parser, Progress* progress, const JsonRecordVisitor& visit);

}  // namespace caploop
