#include "taxonomy/regex_pattern.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace caploop {

namespace {

// One match block per thread, big enough for the whole-match pair, which is all that matches() reads.
struct ThreadMatchData {
  pcre2_match_data* data = pcre2_match_data_create(1, nullptr);
  ~ThreadMatchData() { pcre2_match_data_free(data); }
};

pcre2_code* as_code(void* p) { return static_cast<pcre2_code*>(p); }

}  // namespace

std::unique_ptr<RegexPattern> RegexPattern::compile(std::string_view pattern, std::string* error) {
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                   PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &error_code, &error_offset, nullptr);
  if (code == nullptr) {
    if (error) {
      *error = describe_error(error_code) + " at offset " + std::to_string(error_offset);
    }
    return nullptr;
  }
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // falls back to the interpreter when JIT is unavailable
  std::unique_ptr<RegexPattern> out(new RegexPattern());
  out->code_ = code;
  out->source_ = std::string(pattern);
  return out;
}

RegexPattern::~RegexPattern() { pcre2_code_free(as_code(code_)); }

int RegexPattern::matches(std::string_view subject) const {
  thread_local ThreadMatchData match;
  int rc = pcre2_match(as_code(code_), reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0, match.data,
                       nullptr);
  if (rc >= 0) return 1;
  if (rc == PCRE2_ERROR_NOMATCH) return 0;
  return rc;
}

std::string RegexPattern::describe_error(int code) {
  PCRE2_UCHAR buffer[256];
  int n = pcre2_get_error_message(code, buffer, sizeof(buffer));
  if (n < 0) return "PCRE2 error " + std::to_string(code);
  return std::string(reinterpret_cast<const char*>(buffer), static_cast<size_t>(n));
}

}  // namespace caploop
