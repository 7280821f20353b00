// TextTable: a plain aligned table for terminal summaries (left-aligned text, right-aligned numbers).
//
// Contract: add_row() takes cells as already-formatted strings; a column is right-aligned when every body
// cell in it looks numeric. render() returns the table with a header rule; widths count UTF-8 code points.
#pragma once

#include <string>
#include <vector>

namespace caploop::cli {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}
  void add_row(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  std::string render() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace caploop::cli
