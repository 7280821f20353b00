#include "eval/regex.h"

#include <cstring>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "core/error.h"

namespace caploop {
namespace {

pcre2_code* as_code(void* p) { return static_cast<pcre2_code*>(p); }

struct MatchDataDeleter {
  void operator()(pcre2_match_data* d) const { pcre2_match_data_free(d); }
};
using MatchData = std::unique_ptr<pcre2_match_data, MatchDataDeleter>;

std::string pcre2_message(int code) {
  PCRE2_UCHAR buffer[256];
  int n = pcre2_get_error_message(code, buffer, sizeof buffer);
  if (n < 0) return "error " + std::to_string(code);
  return std::string(reinterpret_cast<const char*>(buffer), static_cast<size_t>(n));
}

// Length of the UTF-8 sequence starting at byte b (1 for invalid lead bytes, so scanning always advances).
size_t utf8_step(std::string_view s, size_t i) {
  size_t n = 1;
  while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80 && n < 4) ++n;
  return n;
}

}  // namespace

std::string_view Regex::Match::group(std::string_view subject, int i) const {
  if (i < 0 || i >= n_groups || !groups[i].matched()) return {};
  return subject.substr(groups[i].begin, groups[i].end - groups[i].begin);
}

Regex::Span Regex::Match::first_participating_group() const {
  for (int i = 1; i < n_groups; ++i) {
    if (groups[i].matched() && groups[i].end > groups[i].begin) return groups[i];
  }
  return groups[0];
}

Regex::Regex(std::string_view pattern) : Regex(pattern, Options{}) {}

namespace {

pcre2_code* compile_or_throw(const std::string& pattern, uint32_t flags) {
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), flags, &error_code,
                                   &error_offset, nullptr);
  if (code == nullptr) {
    throw Error(ErrorKind::kUsage, "invalid regular expression '" + pattern + "': " + pcre2_message(error_code) +
                                       " at offset " + std::to_string(error_offset));
  }
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // optional speed-up; the interpreter is used if it fails
  return code;
}

// The text of a leading `(?<=TEXT)` when TEXT is plain printable ASCII without metacharacters, else "".
std::string literal_lookbehind(std::string_view pattern) {
  constexpr std::string_view kOpen = "(?<=";
  if (!pattern.starts_with(kOpen)) return {};
  std::string text;
  for (size_t i = kOpen.size(); i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == ')') return text;
    if (c < 0x20 || c > 0x7e || std::string_view("\\^$.|?*+()[]{}#").find(c) != std::string_view::npos) return {};
    text.push_back(c);
  }
  return {};
}

}  // namespace

Regex::Regex(std::string_view pattern, Options options) : pattern_(pattern) {
  uint32_t flags = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
  if (options.case_insensitive) flags |= PCRE2_CASELESS;
  if (options.multiline) flags |= PCRE2_MULTILINE;
  code_ = compile_or_throw(pattern_, flags);
  if (!options.plain && !options.case_insensitive) {
    std::string prefix = literal_lookbehind(pattern_);
    if (!prefix.empty()) {
      anchored_code_ = compile_or_throw(pattern_, flags | PCRE2_ANCHORED);
      prefix_ = std::move(prefix);
    }
  }
}

Regex::~Regex() {
  if (code_ != nullptr) pcre2_code_free(as_code(code_));
  if (anchored_code_ != nullptr) pcre2_code_free(as_code(anchored_code_));
}

Regex::Regex(Regex&& other) noexcept
    : pattern_(std::move(other.pattern_)),
      prefix_(std::move(other.prefix_)),
      code_(other.code_),
      anchored_code_(other.anchored_code_) {
  other.code_ = nullptr;
  other.anchored_code_ = nullptr;
}

Regex& Regex::operator=(Regex&& other) noexcept {
  if (this != &other) {
    if (code_ != nullptr) pcre2_code_free(as_code(code_));
    if (anchored_code_ != nullptr) pcre2_code_free(as_code(anchored_code_));
    pattern_ = std::move(other.pattern_);
    prefix_ = std::move(other.prefix_);
    code_ = other.code_;
    anchored_code_ = other.anchored_code_;
    other.code_ = nullptr;
    other.anchored_code_ = nullptr;
  }
  return *this;
}

std::optional<Regex::Match> Regex::match_at(void* match_data, std::string_view subject, size_t start,
                                            bool anchored) const {
  auto* data = static_cast<pcre2_match_data*>(match_data);
  int rc = pcre2_match(as_code(anchored ? anchored_code_ : code_), reinterpret_cast<PCRE2_SPTR>(subject.data()),
                       subject.size(), start, 0, data, nullptr);
  // No match, or a resource limit (match or depth limit, the only other outcome for valid arguments): the
  // subject is taken as not matching rather than failing a whole scoring run on one pathological response.
  if (rc < 0) return std::nullopt;
  const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data);
  uint32_t pairs = pcre2_get_ovector_count(data);
  Match m;
  m.n_groups = static_cast<int>(std::min<uint32_t>(pairs, Match::kMaxGroups));
  for (int i = 0; i < m.n_groups; ++i) {
    PCRE2_SIZE b = ovector[2 * i], e = ovector[2 * i + 1];
    if (b == PCRE2_UNSET) continue;
    m.groups[i] = Span{static_cast<size_t>(b), static_cast<size_t>(e)};
  }
  return m;
}

std::optional<Regex::Match> Regex::search_with(void* match_data, std::string_view subject, size_t start) const {
  if (start > subject.size()) return std::nullopt;
  if (prefix_.empty()) return match_at(match_data, subject, start, false);
  // A match can only begin right after an occurrence of the look-behind's text: try those positions in order
  // (an occurrence that begins before `start` but ends at or after it included).
  size_t from = start >= prefix_.size() ? start - prefix_.size() : 0;
  // memmem: glibc's searches by a two-byte shift table, far fewer compares than a find() that stops at every
  // occurrence of the first byte (a 't' in "the answer is ").
  const auto next = [&](size_t pos) -> size_t {
    if (pos > subject.size()) return std::string_view::npos;
    const void* hit = memmem(subject.data() + pos, subject.size() - pos, prefix_.data(), prefix_.size());
    return hit == nullptr ? std::string_view::npos
                          : static_cast<size_t>(static_cast<const char*>(hit) - subject.data());
  };
  for (size_t at = next(from); at != std::string_view::npos; at = next(at + 1)) {
    size_t candidate = at + prefix_.size();
    auto m = match_at(match_data, subject, candidate, true);
    // In invalid-UTF mode an anchored pattern is retried at the start of a later valid stretch: only a match
    // at the candidate itself counts (a later one is found at its own occurrence).
    if (m && m->begin() == candidate) return m;
  }
  return std::nullopt;
}

std::optional<Regex::Match> Regex::search(std::string_view subject, size_t start) const {
  MatchData data(pcre2_match_data_create_from_pattern(as_code(code_), nullptr));
  if (!data) throw Error(ErrorKind::kInternal, "out of memory creating PCRE2 match data");
  return search_with(data.get(), subject, start);
}

std::vector<Regex::Match> Regex::find_all(std::string_view subject) const {
  std::vector<Match> out;
  MatchData data(pcre2_match_data_create_from_pattern(as_code(code_), nullptr));
  if (!data) throw Error(ErrorKind::kInternal, "out of memory creating PCRE2 match data");
  size_t pos = 0;
  while (pos <= subject.size()) {
    auto m = search_with(data.get(), subject, pos);
    if (!m) break;
    out.push_back(*m);
    if (m->end() > m->begin()) {
      pos = m->end();
    } else {
      if (m->end() >= subject.size()) break;
      pos = m->end() + utf8_step(subject, m->end());
    }
  }
  return out;
}

std::optional<Regex::Match> Regex::find_last(std::string_view subject) const {
  std::vector<Match> all = find_all(subject);
  if (all.empty()) return std::nullopt;
  return all.back();
}

size_t Regex::count(std::string_view subject) const { return find_all(subject).size(); }

std::string Regex::replace_all(std::string_view subject, std::string_view replacement) const {
  std::string out;
  size_t copied = 0;  // subject bytes already accounted for
  for (const Match& m : find_all(subject)) {
    out.append(subject.substr(copied, m.begin() - copied));
    for (size_t i = 0; i < replacement.size(); ++i) {
      char c = replacement[i];
      if (c != '$' || i + 1 >= replacement.size()) {
        out.push_back(c);
        continue;
      }
      char next = replacement[i + 1];
      if (next == '$') {
        out.push_back('$');
        ++i;
      } else if (next >= '0' && next <= '9') {
        out.append(m.group(subject, next - '0'));
        ++i;
      } else if (next == '{' && i + 3 < replacement.size() && replacement[i + 3] == '}' && replacement[i + 2] >= '0' &&
                 replacement[i + 2] <= '9') {
        out.append(m.group(subject, replacement[i + 2] - '0'));
        i += 3;
      } else {
        out.push_back(c);
      }
    }
    copied = m.end();
  }
  out.append(subject.substr(copied));
  return out;
}

}  // namespace caploop
