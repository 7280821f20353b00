// Fuzzes every scoring rule of the registry (extract, extract_for_reference, judge, score) and the MATH
// helpers (hendrycks_strip_string / is_equiv, scan_boxes, minerva_final_answer / normalisation,
// math_answers_equivalent). The last byte of the input gives the reference's length (0..63); the reference is
// that many bytes before it and the response is everything in front, so plain model outputs make good seeds
// (their tail becomes the reference). Each rule also judges its own extracted answer as a reference. Checks:
// no crash, sanitizer report or exception; spans inside the response; found <=> a span or an answer as the
// contract says; same input, same result.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "eval/math_boxed.h"
#include "eval/math_equivalence.h"
#include "eval/math_minerva.h"
#include "eval/math_strip_string.h"
#include "eval/rule_registry.h"

namespace {

using namespace caploop;

void check_extraction(const Extraction& x, std::string_view response) {
  if (x.statement_begin > x.statement_end || x.statement_end > response.size()) std::abort();
  if (!x.found && (!x.answer.empty() || x.statement_end != 0)) std::abort();
  if (x.n_statements < 0) std::abort();
}

bool same(const Extraction& a, const Extraction& b) {
  return a.found == b.found && a.answer == b.answer && a.statement_begin == b.statement_begin &&
         a.statement_end == b.statement_end && a.n_statements == b.n_statements;
}

void check_boxes(std::string_view text) {
  BoxScan scan = scan_boxes(text);
  for (const auto* box : {&scan.first, &scan.last}) {
    if (!*box) continue;
    const BoxedAnswer& b = **box;
    if (b.begin >= b.end || b.end > text.size()) std::abort();
    if (b.content.data() < text.data() + b.begin || b.content.data() + b.content.size() > text.data() + b.end) {
      std::abort();
    }
  }
  if ((scan.count == 0) != !scan.first) std::abort();
}

void check_minerva(std::string_view text) {
  MinervaScan scan = minerva_final_answer(text);
  if (scan.first) {
    if (scan.first->begin > scan.first->end || scan.first->end > text.size()) std::abort();
    (void)minerva_normalize_final_answer(scan.first->answer);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view input(reinterpret_cast<const char*>(data), size - 1);
  size_t ref_len = data[size - 1] % 64;
  if (ref_len > input.size()) ref_len = input.size();
  std::string_view reference = input.substr(input.size() - ref_len);
  std::string_view response = input.substr(0, input.size() - ref_len);

  for (const ScoringRule* rule : all_rules()) {
    Extraction plain = rule->extract(response);
    check_extraction(plain, response);
    Score s = rule->score(response, reference);
    check_extraction(s.extraction, response);
    if (s.correct && !s.extraction.found) std::abort();
    if (!same(s.extraction, rule->extract_for_reference(response, reference))) std::abort();
    if (!same(plain, rule->extract(response))) std::abort();
    if (plain.found) (void)rule->judge(plain.answer, plain.answer);
    (void)rule->judge(reference, response.substr(0, std::min<size_t>(response.size(), 256)));
  }

  // The MATH helpers on the short reference and on the response's last 4 KiB (Minerva's normalisation runs
  // regular expressions over the whole answer, which only ever is a short statement in practice).
  std::string_view tail = response.substr(response.size() > 4096 ? response.size() - 4096 : 0);
  (void)hendrycks_strip_string(reference);
  (void)hendrycks_strip_string(tail);
  (void)hendrycks_is_equiv(reference, tail.substr(0, std::min<size_t>(tail.size(), 64)));
  (void)minerva_normalize_final_answer(reference);
  (void)math_numeric_value(reference);
  (void)math_answers_equivalent(reference, tail.substr(0, std::min<size_t>(tail.size(), 64)));
  check_boxes(response);
  check_minerva(response);
  return 0;
}
