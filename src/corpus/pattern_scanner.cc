#include "corpus/pattern_scanner.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <fmt/format.h>
#include <pcre2.h>

#include <cstdlib>
#include <string>

#include "core/error.h"

namespace caploop::corpus {

ScanScratch::ScanScratch() { match_data_ = pcre2_match_data_create(64, nullptr); }
ScanScratch::~ScanScratch() { pcre2_match_data_free(static_cast<pcre2_match_data*>(match_data_)); }

PatternScanner::PatternScanner(const DataTaxonomy& taxonomy) : group_count_(taxonomy.pattern_groups.size()) {
  std::vector<std::string> regexes;
  for (size_t g = 0; g < taxonomy.pattern_groups.size(); ++g) {
    const PatternGroup& group = taxonomy.pattern_groups[g];
    for (const auto& k : group.keywords) keywords_.add(k, static_cast<uint32_t>(g));
    for (const auto& r : group.regexes) {
      size_t i = 0;
      while (i < regexes.size() && regexes[i] != r) ++i;
      if (i == regexes.size()) {
        regexes.push_back(r);
        regex_groups_.emplace_back();
      }
      regex_groups_[i].push_back(static_cast<uint32_t>(g));
    }
  }
  keywords_.build();
  // Two alternations: regexes anchored at a line start ('^', multi-line mode) are only tried where a line
  // begins, which PCRE2 does by itself when every alternative is anchored; the others are tried everywhere.
  std::vector<size_t> anchored, floating;
  for (size_t i = 0; i < regexes.size(); ++i) (regexes[i].starts_with("^") ? anchored : floating).push_back(i);
  anchored_ = compile_alternation(regexes, anchored, taxonomy.source);
  floating_ = compile_alternation(regexes, floating, taxonomy.source);
}

void* PatternScanner::compile_alternation(const std::vector<std::string>& regexes, const std::vector<size_t>& which,
                                          const std::string& source) {
  if (which.empty()) return nullptr;
  // (*MARK:i) names the alternative that matched, read back with pcre2_get_mark().
  std::string alternation;
  for (size_t i : which) {
    if (!alternation.empty()) alternation += '|';
    alternation += fmt::format("(*MARK:{})(?:{})", i, regexes[i]);
  }
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* re = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(alternation.data()), alternation.size(),
                                 PCRE2_MULTILINE | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &offset, nullptr);
  if (!re) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(code, buf, sizeof buf);
    throw_input_error(fmt::format("cannot compile the taxonomy's regexes together: {} at offset {}",
                                  reinterpret_cast<const char*>(buf), offset),
                      {source, 0, "regexes"});
  }
  pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);  // falls back to the interpreter when JIT is unavailable
  return re;
}

PatternScanner::~PatternScanner() {
  pcre2_code_free(static_cast<pcre2_code*>(anchored_));
  pcre2_code_free(static_cast<pcre2_code*>(floating_));
}

void PatternScanner::scan(std::string_view text, ScanScratch& scratch, std::vector<uint32_t>& counts) const {
  counts.assign(group_count_, 0);
  keywords_.count(text, counts.data());
  match_all(anchored_, text, scratch, counts);
  match_all(floating_, text, scratch, counts);
}

void PatternScanner::match_all(void* code, std::string_view text, ScanScratch& scratch,
                               std::vector<uint32_t>& counts) const {
  if (!code) return;
  auto* re = static_cast<pcre2_code*>(code);
  auto* md = static_cast<pcre2_match_data*>(scratch.match_data());
  auto subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  PCRE2_SIZE start = 0;
  while (start <= text.size()) {
    int rc = pcre2_match(re, subject, text.size(), start, 0, md, nullptr);
    if (rc < 0) break;  // no further match (invalid UTF-8 stretches are skipped by PCRE2_MATCH_INVALID_UTF)
    PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
    PCRE2_SPTR mark = pcre2_get_mark(md);
    if (mark) {
      size_t alt = std::strtoul(reinterpret_cast<const char*>(mark), nullptr, 10);
      if (alt < regex_groups_.size())
        for (uint32_t g : regex_groups_[alt]) ++counts[g];
    }
    start = ov[1];
    if (ov[1] == ov[0]) {  // an empty match: step over one whole character
      ++start;
      while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) ++start;
    }
  }
}

}  // namespace caploop::corpus
