#include "corpus/pattern_scanner.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <fmt/format.h>
#include <pcre2.h>

#include <string>

#include "core/error.h"

namespace caploop::corpus {

ScanScratch::ScanScratch() { match_data_ = pcre2_match_data_create(64, nullptr); }

ScanScratch::~ScanScratch() { pcre2_match_data_free(static_cast<pcre2_match_data*>(match_data_)); }

PatternScanner::PatternScanner(const DataTaxonomy& taxonomy) : group_count_(taxonomy.pattern_groups.size()) {
  std::vector<std::string> sources;
  for (size_t g = 0; g < taxonomy.pattern_groups.size(); ++g) {
    const PatternGroup& group = taxonomy.pattern_groups[g];
    for (size_t k = 0; k < group.keywords.size(); ++k)
      keywords_.add(group.keywords[k], static_cast<uint32_t>(g),
                    k < group.keyword_weights.size() ? group.keyword_weights[k] : 1.0);
    for (const auto& r : group.regexes) {
      size_t i = 0;
      while (i < sources.size() && sources[i] != r) ++i;
      if (i == sources.size()) {
        sources.push_back(r);
        regexes_.emplace_back();
      }
      regexes_[i].groups.push_back(static_cast<uint32_t>(g));
    }
  }
  keywords_.build();
  for (size_t i = 0; i < sources.size(); ++i) {
    int code = 0;
    PCRE2_SIZE offset = 0;
    pcre2_code* re = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(sources[i].data()), sources[i].size(),
                                   PCRE2_MULTILINE | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &offset, nullptr);
    if (!re) {
      PCRE2_UCHAR buf[256];
      pcre2_get_error_message(code, buf, sizeof buf);
      for (auto& r : regexes_) pcre2_code_free(static_cast<pcre2_code*>(r.code));  // the destructor will not run
      throw_input_error(fmt::format("cannot compile regex '{}': {} at offset {}", sources[i],
                                    reinterpret_cast<const char*>(buf), offset),
                        {taxonomy.source, 0, "regexes"});
    }
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);  // falls back to the interpreter when JIT is unavailable
    regexes_[i].code = re;
    (sources[i].starts_with("^") ? anchored_ : floating_).push_back(i);
  }
}

PatternScanner::~PatternScanner() {
  for (auto& r : regexes_) pcre2_code_free(static_cast<pcre2_code*>(r.code));
}

void PatternScanner::scan(std::string_view text, ScanScratch& scratch, std::vector<uint32_t>& counts,
                          std::vector<double>& weighted) const {
  counts.assign(group_count_, 0);
  weighted.assign(group_count_, 0.0);
  keywords_.count(text, scratch.keywords, counts.data(), weighted.data());
  match_alternation(anchored_, text, scratch, counts, weighted);
  match_alternation(floating_, text, scratch, counts, weighted);
}

std::pair<size_t, size_t> PatternScanner::find(size_t r, std::string_view text, size_t from,
                                               ScanScratch& scratch) const {
  if (from > text.size()) return {std::string_view::npos, 0};
  auto* md = static_cast<pcre2_match_data*>(scratch.match_data());
  int rc = pcre2_match(static_cast<pcre2_code*>(regexes_[r].code), reinterpret_cast<PCRE2_SPTR>(text.data()),
                       text.size(), from, 0, md, nullptr);
  if (rc < 0) return {std::string_view::npos, 0};  // no match (invalid UTF-8 stretches are skipped)
  PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
  return {ov[0], ov[1]};
}

void PatternScanner::match_alternation(const std::vector<size_t>& alternation, std::string_view text,
                                       ScanScratch& scratch, std::vector<uint32_t>& counts,
                                       std::vector<double>& weighted) const {
  constexpr size_t npos = std::string_view::npos;
  auto& pending = scratch.pending;
  pending.clear();
  for (size_t r : alternation) {
    auto [start, end] = find(r, text, 0, scratch);
    if (start != npos) pending.push_back({r, start, end});
  }
  // Like one alternation scanned left to right: the leftmost match wins, ties go to the earlier regex; a
  // regex's next match from a position is still valid while it starts at or after the scan position.
  while (!pending.empty()) {
    size_t best = 0;
    for (size_t k = 1; k < pending.size(); ++k)
      if (pending[k].start < pending[best].start) best = k;
    const auto [r, start, end] = pending[best];
    for (uint32_t g : regexes_[r].groups) {
      ++counts[g];
      weighted[g] += 1.0;
    }
    size_t pos = end;
    if (end == start) {  // an empty match: step over one whole character
      ++pos;
      while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
    }
    size_t kept = 0;
    for (size_t k = 0; k < pending.size(); ++k) {
      ScanScratch::Pending p = pending[k];
      if (p.start < pos) {
        auto [s2, e2] = find(p.regex, text, pos, scratch);
        if (s2 == npos) continue;
        p.start = s2;
        p.end = e2;
      }
      pending[kept++] = p;
    }
    pending.resize(kept);
  }
}

}  // namespace caploop::corpus
