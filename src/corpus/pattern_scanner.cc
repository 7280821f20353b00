#include "corpus/pattern_scanner.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <fmt/format.h>
#include <pcre2.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <cstring>
#include <map>
#include <new>
#include <optional>
#include <string>

#include "core/error.h"

namespace caploop::corpus {
namespace {

constexpr uint32_t kCompileOptions = PCRE2_MULTILINE | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;

pcre2_code* as_code(void* code) { return static_cast<pcre2_code*>(code); }

// True when `source` keeps its meaning as one capture-group-wrapped branch of a larger alternation: no
// absolute back references or group names or numbers (which the wrapping would shift or duplicate), no inline
// option settings, verbs or callouts (which could change the other branches or the start optimizations), no
// \Q..\E quoting (which could swallow the closing parenthesis). Conservative: anything unusual is refused.
bool combinable(const std::string& source) {
  for (size_t i = 0; i < source.size(); ++i) {
    if (source[i] == '\\') {
      if (++i >= source.size()) return false;
      if (std::strchr("QEgkK123456789", source[i])) return false;
    } else if (source[i] == '(' && i + 1 < source.size() && (source[i + 1] == '?' || source[i + 1] == '*')) {
      const std::string_view kind = std::string_view(source).substr(i + 1, 3);
      if (!kind.starts_with("?:") && !kind.starts_with("?=") && !kind.starts_with("?!") && !kind.starts_with("?>") &&
          kind != "?<=" && kind != "?<!")
        return false;
    }
  }
  return true;
}

// The first code unit every match of `code` starts with, or -1 when there is none.
int first_code_unit(const pcre2_code* code) {
  uint32_t type = 0, unit = 0;
  pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODETYPE, &type);
  pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODEUNIT, &unit);
  return type == 1 && unit < 256 ? static_cast<int>(unit) : -1;
}

// A floating regex that starts with an unquantified class of at most four literal bytes (`[;{}]\s*$`) written
// as one regex per byte (`;\s*$`, `\{\s*$`, `\}\s*$`), each with the same matches at the positions starting
// with its byte, so PCRE2 searches for that byte (vectorised) instead of testing a bitmap at every byte. Empty
// when the regex does not start so. The variants of one regex count as that regex and never tie (different
// first bytes). (Splitting `\d++...` into ten such regexes was measured slower: digits are frequent.)
std::vector<std::string> split_by_first_byte(const std::string& source) {
  std::vector<std::string> out;
  auto literal = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ? std::string(1, c) : std::string("\\") + c;
  };
  if (source.starts_with("[")) {
    const size_t close = source.find(']', 1);
    if (close == std::string::npos || close == 1 || close > 5) return {};
    const std::string chars = source.substr(1, close - 1);
    for (char c : chars)
      if (!std::isprint(static_cast<unsigned char>(c)) || std::strchr("\\^-[]", c)) return {};
    const std::string rest = source.substr(close + 1);
    if (!rest.empty() && std::strchr("*+?{", rest[0])) return {};  // the class is quantified
    for (char c : chars) out.push_back(literal(c) + rest);
  }
  return out;
}

uint32_t capture_count(const pcre2_code* code) {
  uint32_t n = 0;
  pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &n);
  return n;
}

}  // namespace

ScanScratch::ScanScratch() = default;

ScanScratch::~ScanScratch() { pcre2_match_data_free(static_cast<pcre2_match_data*>(match_data_)); }

void* ScanScratch::match_data(uint32_t pairs) {
  auto* md = static_cast<pcre2_match_data*>(match_data_);
  if (md && pcre2_get_ovector_count(md) >= pairs) return md;
  pcre2_match_data_free(md);
  match_data_ = pcre2_match_data_create(pairs, nullptr);
  if (!match_data_) throw std::bad_alloc();
  return match_data_;
}

void* PatternScanner::compile(const std::string& source, const std::string& shown, const std::string& taxonomy_source) {
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* re = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(source.data()), source.size(), kCompileOptions, &code,
                                 &offset, nullptr);
  if (!re) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(code, buf, sizeof buf);
    throw_input_error(
        fmt::format("cannot compile regex '{}': {} at offset {}", shown, reinterpret_cast<const char*>(buf), offset),
        {taxonomy_source, 0, "regexes"});
  }
  return re;
}

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
        regex_groups_.emplace_back();
      }
      regex_groups_[i].push_back(static_cast<uint32_t>(g));
    }
  }
  keywords_.build();
  try {
    build_programs(sources, taxonomy.source);
  } catch (...) {
    free_programs();  // the destructor will not run
    throw;
  }
}

void PatternScanner::build_programs(const std::vector<std::string>& sources, const std::string& taxonomy_source) {
  // Every regex is compiled on its own first, so that an invalid one is reported by itself.
  std::vector<int> regex_first_unit(sources.size(), -1);
  for (size_t i = 0; i < sources.size(); ++i) {
    pcre2_code* re = as_code(compile(sources[i], sources[i], taxonomy_source));
    regex_first_unit[i] = first_code_unit(re);
    pcre2_code_free(re);
  }
  // The parts programs are made of: each regex, or for a floating regex without a first code unit that starts
  // with a class of a few bytes, one variant per byte (see split_by_first_byte), kept only if each has one.
  std::vector<std::string> parts;
  std::vector<size_t> part_regex;
  std::vector<int> first_unit;
  for (size_t i = 0; i < sources.size(); ++i) {
    std::vector<std::string> variants;
    std::vector<int> units;
    if (combinable(sources[i]) && !sources[i].starts_with("^") && regex_first_unit[i] < 0) {
      variants = split_by_first_byte(sources[i]);
      for (const auto& v : variants) {
        int code = 0;
        PCRE2_SIZE offset = 0;
        pcre2_code* re =
            pcre2_compile(reinterpret_cast<PCRE2_SPTR>(v.data()), v.size(), kCompileOptions, &code, &offset, nullptr);
        units.push_back(re ? first_code_unit(re) : -1);
        pcre2_code_free(re);
        if (units.back() < 0) break;
      }
      if (units.size() != variants.size() || (!units.empty() && units.back() < 0)) variants.clear();
    }
    if (variants.empty()) {
      parts.push_back(sources[i]);
      part_regex.push_back(i);
      first_unit.push_back(regex_first_unit[i]);
    } else {
      for (size_t k = 0; k < variants.size(); ++k) {
        parts.push_back(variants[k]);
        part_regex.push_back(i);
        first_unit.push_back(units[k]);
      }
    }
  }
  // Programs: the combinable anchored regexes as one alternation; the combinable floating ones as one
  // alternation per first code unit (so each keeps its fast first-code-unit search); every other regex alone.
  std::vector<std::vector<size_t>> anchored_sets, floating_sets;
  std::vector<size_t> anchored_combined;
  std::map<int, size_t> floating_by_unit;  // first code unit -> index in floating_sets
  for (size_t i = 0; i < parts.size(); ++i) {
    const bool anchored = parts[i].starts_with("^");
    if (!combinable(parts[i])) {
      (anchored ? anchored_sets : floating_sets).push_back({i});
    } else if (anchored) {
      if (anchored_combined.empty()) anchored_sets.emplace_back();
      anchored_combined.push_back(i);
    } else if (first_unit[i] >= 0) {
      auto [it, added] = floating_by_unit.try_emplace(first_unit[i], floating_sets.size());
      if (added) floating_sets.emplace_back();
      floating_sets[it->second].push_back(i);
    } else {
      floating_sets.push_back({i});
    }
  }
  for (auto& set : anchored_sets)
    if (set.empty()) set = anchored_combined;
  if (!build_line_dispatch(sources))
    for (const auto& set : anchored_sets) add_program(parts, set, taxonomy_source, anchored_);
  for (const auto& set : floating_sets) add_program(parts, set, taxonomy_source, floating_);
  for (Program& program : programs_)
    for (size_t& r : program.regexes) r = part_regex[r];  // parts -> the regexes they count as
}

void PatternScanner::add_program(const std::vector<std::string>& sources, const std::vector<size_t>& members,
                                 const std::string& taxonomy_source, std::vector<size_t>& alternation) {
  Program program;
  program.regexes = members;
  pcre2_code* re = nullptr;
  if (members.size() == 1) {
    re = as_code(compile(sources[members[0]], sources[members[0]], taxonomy_source));
  } else {
    // Branch k is capture group first_capture[k]; the regex's own groups follow it.
    std::string source;
    uint32_t next_group = 1;
    for (size_t k = 0; k < members.size(); ++k) {
      pcre2_code* alone = as_code(compile(sources[members[k]], sources[members[k]], taxonomy_source));
      program.first_capture.push_back(next_group);
      next_group += 1 + capture_count(alone);
      pcre2_code_free(alone);
      source += (k ? "|(" : "(") + sources[members[k]] + ")";
    }
    int code = 0;
    PCRE2_SIZE offset = 0;
    re = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(source.data()), source.size(), kCompileOptions, &code, &offset,
                       nullptr);
    if (!re) {  // past some PCRE2 limit: run the regexes one by one
      for (size_t r : members) add_program(sources, {r}, taxonomy_source, alternation);
      return;
    }
  }
  program.code = re;
  programs_.push_back(program);                                           // owns the code from here on
  programs_.back().jit = pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) == 0;  // else the interpreter runs it
  // Only combinable regexes have no inline options, so only for them is the first code unit exact (not caseless).
  bool plain = true;
  for (size_t r : members) plain = plain && combinable(sources[r]);
  programs_.back().first_unit = plain ? first_code_unit(re) : -1;
  if (members.size() == 1 && plain && programs_.back().jit) add_digit_run_code(programs_.back(), sources[members[0]]);
  Program& added = programs_.back();
  if (plain && (added.first_unit >= 0 || added.digit_run_code)) {
    std::vector<SequenceRegex> sequences;
    for (size_t r : members) {
      std::optional<SequenceRegex> sequence = SequenceRegex::compile(sources[r]);
      if (!sequence) break;
      sequences.push_back(std::move(*sequence));
    }
    if (sequences.size() == members.size()) added.sequences = std::move(sequences);
  }
  ovector_pairs_ = std::max(ovector_pairs_, capture_count(re) + 1);
  alternation.push_back(programs_.size() - 1);
}

bool PatternScanner::build_line_dispatch(const std::vector<std::string>& sources) {
  std::vector<LineRegex> regexes;
  std::vector<std::vector<uint16_t>> by_byte(256);
  auto give_up = [&] {
    for (auto& r : regexes) pcre2_code_free(as_code(r.code));
    return false;
  };
  for (size_t i = 0; i < sources.size(); ++i) {
    if (!sources[i].starts_with("^")) continue;
    // Every match must start at a line start (line feeds only), as PCRE2 itself establishes.
    int code = 0;
    PCRE2_SIZE offset = 0;
    pcre2_code* alone = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(sources[i].data()), sources[i].size(),
                                      kCompileOptions, &code, &offset, nullptr);
    if (!alone) return give_up();
    uint32_t first_type = 0, newline = 0;
    pcre2_pattern_info(alone, PCRE2_INFO_FIRSTCODETYPE, &first_type);
    pcre2_pattern_info(alone, PCRE2_INFO_NEWLINE, &newline);
    pcre2_code_free(alone);
    if (first_type != 2 || newline != PCRE2_NEWLINE_LF) return give_up();
    pcre2_code* anchored = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(sources[i].data()), sources[i].size(),
                                         kCompileOptions | PCRE2_ANCHORED, &code, &offset, nullptr);
    if (!anchored) return give_up();
    regexes.push_back({anchored, i, SequenceRegex::compile(sources[i].substr(1))});
    if (pcre2_jit_compile(anchored, PCRE2_JIT_COMPLETE) != 0) return give_up();
    // The bytes a match can start with: those the rest of the regex (after '^') can start with, from PCRE2's
    // start analysis; every byte when it has none (the rest may match empty, or starts with an assertion).
    std::vector<bool> first(256, true);
    const std::string rest = sources[i].substr(1);
    if (pcre2_code* tail = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(rest.data()), rest.size(), kCompileOptions, &code,
                                         &offset, nullptr)) {
      uint32_t type = 0, unit = 0;
      const uint8_t* bitmap = nullptr;
      pcre2_pattern_info(tail, PCRE2_INFO_FIRSTCODETYPE, &type);
      pcre2_pattern_info(tail, PCRE2_INFO_FIRSTCODEUNIT, &unit);
      if (type == 1 && unit < 128) {  // one byte; both cases of a letter in case the regex sets (?i)
        first.assign(256, false);
        first[unit] = true;
        first[std::tolower(static_cast<int>(unit))] = first[std::toupper(static_cast<int>(unit))] = true;
      } else if (type == 0 && pcre2_pattern_info(tail, PCRE2_INFO_FIRSTBITMAP, &bitmap) == 0 && bitmap) {
        for (int c = 0; c < 256; ++c) first[c] = (bitmap[c / 8] >> (c % 8)) & 1;
      }
      pcre2_code_free(tail);
    }
    for (int c = 0; c < 256; ++c)
      if (first[c]) by_byte[c].push_back(static_cast<uint16_t>(regexes.size() - 1));
  }
  if (regexes.empty() || regexes.size() > 65535) return give_up();
  line_regexes_ = std::move(regexes);
  line_dispatch_.clear();
  for (int c = 0; c < 256; ++c) {
    line_dispatch_offset_[c] = static_cast<uint32_t>(line_dispatch_.size());
    line_dispatch_.insert(line_dispatch_.end(), by_byte[c].begin(), by_byte[c].end());
  }
  line_dispatch_offset_[256] = static_cast<uint32_t>(line_dispatch_.size());
  for (const auto& r : line_regexes_) ovector_pairs_ = std::max(ovector_pairs_, capture_count(as_code(r.code)) + 1);
  return true;
}

namespace {
// The bytes a match of `source` can start with, from PCRE2's start analysis; false when it has none.
bool start_bytes(const std::string& source, uint64_t bits[4]) {
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* re = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(source.data()), source.size(), kCompileOptions, &code,
                                 &offset, nullptr);
  if (!re) return false;
  uint32_t type = 0, unit = 0, min_length = 0;
  const uint8_t* bitmap = nullptr;
  pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODETYPE, &type);
  pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODEUNIT, &unit);
  pcre2_pattern_info(re, PCRE2_INFO_MINLENGTH, &min_length);
  bool known = false;
  if (min_length > 0 && type == 1 && unit < 128) {
    bits[0] = bits[1] = bits[2] = bits[3] = 0;
    for (int c : {static_cast<int>(unit), std::tolower(static_cast<int>(unit)), std::toupper(static_cast<int>(unit))})
      bits[c >> 6] |= uint64_t{1} << (c & 63);
    known = true;
  } else if (min_length > 0 && type == 0 && pcre2_pattern_info(re, PCRE2_INFO_FIRSTBITMAP, &bitmap) == 0 && bitmap) {
    for (int w = 0; w < 4; ++w) {
      bits[w] = 0;
      for (int b = 0; b < 8; ++b) bits[w] |= uint64_t{bitmap[8 * w + b]} << (8 * b);
    }
    known = true;
  }
  pcre2_code_free(re);
  return known;
}
}  // namespace

void PatternScanner::add_digit_run_code(Program& program, const std::string& source) {
  if (!source.starts_with("\\d++") || source.size() == 4) return;
  uint64_t bits[4];
  constexpr uint64_t kDigits = uint64_t{0x3FF} << 48;  // '0'..'9' in the first 64-bit word
  if (!start_bytes(source, bits) || bits[0] != kDigits || bits[1] || bits[2] || bits[3]) return;  // not only digits
  // The rest after the run (and after a possessive white-space run): the bytes it can start with. Only when
  // the rest cannot match empty (else any byte may follow the run).
  const bool skip_space = source.compare(4, 4, "\\s*+") == 0;
  const std::string rest = source.substr(skip_space ? 8 : 4);
  uint64_t after[4];
  if (!start_bytes(rest, after)) return;
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* anchored = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(source.data()), source.size(),
                                       kCompileOptions | PCRE2_ANCHORED, &code, &offset, nullptr);
  if (!anchored) return;
  if (pcre2_jit_compile(anchored, PCRE2_JIT_COMPLETE) != 0) {
    pcre2_code_free(anchored);
    return;
  }
  program.digit_run_code = anchored;
  program.skip_space_after_run = skip_space;
  for (int w = 0; w < 4; ++w) program.after_run_bytes[w] = after[w];
}

void PatternScanner::free_programs() {
  for (auto& p : programs_) {
    pcre2_code_free(as_code(p.code));
    pcre2_code_free(as_code(p.digit_run_code));
  }
  programs_.clear();
  for (auto& r : line_regexes_) pcre2_code_free(as_code(r.code));
  line_regexes_.clear();
}

PatternScanner::~PatternScanner() { free_programs(); }

void PatternScanner::scan(std::string_view text, ScanScratch& scratch, std::vector<uint32_t>& counts,
                          std::vector<double>& weighted) const {
  scratch.bytes.scan(text);
  scan(scratch.bytes, scratch, counts, weighted);
}

void PatternScanner::scan(const ByteClassScan& bytes, ScanScratch& scratch, std::vector<uint32_t>& counts,
                          std::vector<double>& weighted) const {
  std::string_view text = bytes.text();
  counts.assign(group_count_, 0);
  weighted.assign(group_count_, 0.0);
  keywords_.count(bytes, scratch.keywords, counts.data(), weighted.data());
  if (text.data() == nullptr) text = std::string_view("", 0);  // PCRE2's fast path needs a subject pointer
  scratch.match_data(ovector_pairs_);
  scratch.text_bytes = &bytes;
  if (!line_regexes_.empty())
    match_line_starts(bytes, scratch, counts, weighted);
  else
    match_alternation(anchored_, text, scratch, counts, weighted);
  match_alternation(floating_, text, scratch, counts, weighted);
}

ScanScratch::Pending PatternScanner::find(size_t p, std::string_view text, size_t from, ScanScratch& scratch) const {
  constexpr size_t npos = std::string_view::npos;
  if (from > text.size()) return {p, 0, npos, 0};
  const Program& program = programs_[p];
  if (program.digit_run_code && scratch.text_bytes && scratch.text_bytes->text().data() == text.data() &&
      scratch.text_bytes->text().size() == text.size())
    return find_at_digit_runs(p, text, from, scratch);
  if (!program.sequences.empty()) return find_by_sequences(p, text, from);
  auto* md = static_cast<pcre2_match_data*>(scratch.match_data());
  const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  int rc = program.jit ? pcre2_jit_match(as_code(program.code), subject, text.size(), from, 0, md, nullptr)
                       : pcre2_match(as_code(program.code), subject, text.size(), from, 0, md, nullptr);
  if (rc < 0) return {p, 0, npos, 0};  // no match (invalid UTF-8 stretches are skipped)
  const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
  size_t member = 0;
  if (!program.first_capture.empty()) {  // the highest group set (rc - 1) lies in the branch that matched
    const auto& first = program.first_capture;
    member = static_cast<size_t>(std::upper_bound(first.begin(), first.end(), static_cast<uint32_t>(rc - 1)) -
                                 first.begin()) -
             1;
  }
  return {p, program.regexes[member], ov[0], ov[1]};
}

ScanScratch::Pending PatternScanner::find_by_sequences(size_t p, std::string_view text, size_t from) const {
  const Program& program = programs_[p];
  const char* d = text.data();
  const size_t n = text.size();
  for (size_t i = from; i < n; ++i) {
    const void* hit = std::memchr(d + i, program.first_unit, n - i);
    if (!hit) break;
    i = static_cast<size_t>(static_cast<const char*>(hit) - d);
    for (size_t k = 0; k < program.sequences.size(); ++k) {
      const size_t end = program.sequences[k].match_at(text, i);
      if (end != SequenceRegex::npos) return {p, program.regexes[k], i, end};
    }
  }
  return {p, 0, std::string_view::npos, 0};
}

ScanScratch::Pending PatternScanner::find_at_digit_runs(size_t p, std::string_view text, size_t from,
                                                        ScanScratch& scratch) const {
  constexpr size_t npos = std::string_view::npos;
  const Program& program = programs_[p];
  const auto& blocks = scratch.text_bytes->blocks();
  const size_t n = text.size(), nb = blocks.size();
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  auto* md = static_cast<pcre2_match_data*>(scratch.match_data());
  auto is_digit = [&](size_t i) { return (blocks[i / 64].digit >> (i % 64)) & 1; };
  // Tries the candidate start s (a digit whose run ends at the first non-digit after it).
  // The end of the match at s, or npos.
  size_t end = npos;
  auto try_at = [&](size_t s) -> int {
    // The byte after the run and its white space (the byte-class scan's digit and space classes, byte by byte:
    // runs are short).
    size_t after = s;
    while (after < n && static_cast<unsigned>(bytes[after] - '0') < 10u) ++after;
    if (program.skip_space_after_run)
      while (after < n && (bytes[after] == ' ' || bytes[after] - 9u < 5u)) ++after;
    if (after >= n) return -1;  // the rest needs at least one byte
    const unsigned char c = bytes[after];
    if (!((program.after_run_bytes[c >> 6] >> (c & 63)) & 1)) return -1;
    if (!program.sequences.empty()) {
      end = program.sequences[0].match_at(text, s);
      return end == npos ? -1 : 1;
    }
    const int rc = pcre2_jit_match(as_code(program.digit_run_code), reinterpret_cast<PCRE2_SPTR>(text.data()), n, s, 0,
                                   md, nullptr);
    if (rc >= 0) end = pcre2_get_ovector_pointer(md)[1];
    return rc;
  };
  int rc = -1;
  size_t at = npos;
  if (from < n && is_digit(from) && (rc = try_at(from)) >= 0) at = from;
  if (at == npos && from < n) {
    // Digit-run starts after `from`: digits whose previous byte is not a digit.
    for (size_t b = from / 64; b < nb && at == npos; ++b) {
      const uint64_t d = blocks[b].digit;
      const uint64_t prev = b > 0 ? blocks[b - 1].digit >> 63 : 0;
      uint64_t starts = d & ~((d << 1) | prev);
      if (b == from / 64)  // after `from` (tried above when it is a digit)
        starts &= (~uint64_t{0} << (from % 64)) & ~(uint64_t{1} << (from % 64));
      while (starts) {
        const size_t s = 64 * b + static_cast<size_t>(std::countr_zero(starts));
        starts &= starts - 1;
        if ((rc = try_at(s)) >= 0) {
          at = s;
          break;
        }
      }
    }
  }
  if (at == npos) return {p, 0, npos, 0};
  return {p, program.regexes[0], at, end};
}

void PatternScanner::match_line_starts(const ByteClassScan& bytes, ScanScratch& scratch, std::vector<uint32_t>& counts,
                                       std::vector<double>& weighted) const {
  const std::string_view text = bytes.text();
  const size_t n = text.size();
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  auto* md = static_cast<pcre2_match_data*>(scratch.match_data());
  const auto& blocks = bytes.blocks();
  // Tries the line start s: the first regex (declaration order) matching there; returns the position the scan
  // goes on from, or 0 when none matched.
  auto try_line = [&](size_t s) -> size_t {
    // At the end of an (empty) text there is no first byte: every regex is tried (only those that can match
    // empty will).
    const bool at_end = s == n;
    const uint32_t first = at_end ? 0 : line_dispatch_offset_[p[s]];
    const uint32_t last = at_end ? static_cast<uint32_t>(line_regexes_.size()) : line_dispatch_offset_[p[s] + 1];
    for (uint32_t k = first; k < last; ++k) {
      const LineRegex& r = line_regexes_[at_end ? k : line_dispatch_[k]];
      size_t start = s, end;
      if (r.sequence) {
        end = r.sequence->match_at(text, s);  // never empty
        if (end == SequenceRegex::npos) continue;
      } else {
        if (pcre2_jit_match(as_code(r.code), subject, n, s, 0, md, nullptr) < 0) continue;
        const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
        start = ov[0];
        end = ov[1];
      }
      for (uint32_t g : regex_groups_[r.regex]) {
        ++counts[g];
        weighted[g] += 1.0;
      }
      size_t next = end;
      if (end == start) {  // an empty match: step over one whole character
        ++next;
        while (next < n && (p[next] & 0xC0) == 0x80) ++next;
      }
      return next;
    }
    return 0;
  };
  // Line starts: 0 and the byte after each '\n' before the end; after a match, only those at or after its end.
  size_t resume = try_line(0);
  for (size_t b = 0; b < blocks.size(); ++b) {
    uint64_t mask = blocks[b].newline;
    while (mask) {
      const size_t s = 64 * b + static_cast<size_t>(std::countr_zero(mask)) + 1;
      mask &= mask - 1;
      if (s >= n) return;
      if (s < resume) continue;
      if (const size_t next = try_line(s)) resume = next;
    }
  }
}

void PatternScanner::match_alternation(const std::vector<size_t>& alternation, std::string_view text,
                                       ScanScratch& scratch, std::vector<uint32_t>& counts,
                                       std::vector<double>& weighted) const {
  constexpr size_t npos = std::string_view::npos;
  auto& pending = scratch.pending;
  pending.clear();
  for (size_t p : alternation) {
    const int unit = programs_[p].first_unit;
    if (unit >= 0 && !std::memchr(text.data(), unit, text.size())) continue;  // no match can start anywhere
    ScanScratch::Pending found = find(p, text, 0, scratch);
    if (found.start != npos) pending.push_back(found);
  }
  // Like one alternation scanned left to right: the leftmost match wins, ties go to the earlier regex; a
  // program's next match from a position is still valid while it starts at or after the scan position.
  while (!pending.empty()) {
    size_t best = 0;
    for (size_t k = 1; k < pending.size(); ++k)
      if (pending[k].start < pending[best].start ||
          (pending[k].start == pending[best].start && pending[k].regex < pending[best].regex))
        best = k;
    const ScanScratch::Pending won = pending[best];
    for (uint32_t g : regex_groups_[won.regex]) {
      ++counts[g];
      weighted[g] += 1.0;
    }
    size_t pos = won.end;
    if (won.end == won.start) {  // an empty match: step over one whole character
      ++pos;
      while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
    }
    size_t kept = 0;
    for (size_t k = 0; k < pending.size(); ++k) {
      ScanScratch::Pending p = pending[k];
      if (p.start < pos) {
        p = find(p.program, text, pos, scratch);
        if (p.start == npos) continue;
      }
      pending[kept++] = p;
    }
    pending.resize(kept);
  }
}

}  // namespace caploop::corpus
