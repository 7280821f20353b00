// ScoringRule: a named, versioned, documented way to turn a raw generation into an answer and judge it.
//
// Contract: a rule is a pure function of (response text, reference text): no state, no I/O, safe to call
// from many threads at once. extract() finds the answer statement(s) in the raw text; judge() compares an
// extracted answer with the reference under the rule's normalisation. score() does both. Rules never modify
// the response. A rule's name is stable (users pass it as --rule); its version changes whenever its
// behaviour does, and stored scores record both, so a re-score is auditable.
//
// Rules are looked up by name in the registry (eval/rule_registry.h); each benchmark has a default rule.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace caploop {

// What a rule found in one response.
struct Extraction {
  bool found = false;  // an answer could be extracted at all
  std::string answer;  // the extracted answer, after the rule's normalisation ("" when !found)
  // Byte span [begin, end) of the answer statement the rule used, in the raw response (0,0 when !found).
  // An "answer statement" is e.g. "So the answer is (B)." or "\boxed{12}" or "#### 42".
  size_t statement_begin = 0;
  size_t statement_end = 0;
  int n_statements = 0;  // how many answer statements the response contains (>1 suggests running on)
};

struct Score {
  Extraction extraction;
  bool correct = false;
};

// Everything known about one response besides its text: what the harness's own filters extracted and the
// per-record metrics the harness logged (both may be empty). Rules that judge log-likelihoods read the
// "loglikelihoods" filter value (core/loglikelihood_choices.h); the "harness:" rules read the metrics.
struct ResponseEvidence {
  std::string_view text;
  std::string_view reference;
  const std::vector<std::pair<std::string, std::string>>* filtered = nullptr;    // (filter, value)
  const std::vector<std::pair<std::string, double>>* harness_metrics = nullptr;  // (metric, value)

  // The value of filter `name`, or nullptr.
  const std::string* filtered_value(std::string_view name) const {
    if (filtered) {
      for (const auto& [f, v] : *filtered) {
        if (f == name) return &v;
      }
    }
    return nullptr;
  }
};

class ScoringRule {
 public:
  virtual ~ScoringRule() = default;
  virtual std::string_view name() const = 0;         // e.g. "bbh", "gsm8k-strict", "math"
  virtual int version() const = 0;                   // bumped whenever behaviour changes
  virtual std::string_view description() const = 0;  // one paragraph: what it extracts and how it compares

  virtual Extraction extract(std::string_view response) const = 0;
  // Whether an extracted (already normalised) answer matches the reference.
  virtual bool judge(std::string_view extracted_answer, std::string_view reference) const = 0;

  // Extraction when the reference is known. Most rules ignore the reference and return extract(response);
  // a rule whose extraction pattern depends on the label set of the reference (e.g. lm-eval's BBH
  // "flexible-extract", which looks for the last "(X)" for multiple-choice targets but the last
  // True/False for boolean ones) overrides this. extract() alone then uses the rule's default pattern.
  virtual Extraction extract_for_reference(std::string_view response, std::string_view reference) const {
    (void)reference;
    return extract(response);
  }

  // The harness metric this rule reproduces ("exact_match,flexible-extract", "acc_norm,none"), "" when it
  // reproduces none in particular; the agreement check compares with it when the harness logged it.
  virtual std::string_view harness_metric() const { return {}; }

  // Scores a response with its evidence. Rules that need only the text (most) keep this default.
  virtual Score score_evidence(const ResponseEvidence& r) const { return score(r.text, r.reference); }
  // Whether score_evidence() reads the harness's filtered values or per-record metrics (a caller that scores
  // many responses reads those from storage only for rules that do).
  virtual bool reads_harness_values() const { return false; }

  Score score(std::string_view response, std::string_view reference) const {
    Score s;
    s.extraction = extract_for_reference(response, reference);
    s.correct = s.extraction.found && judge(s.extraction.answer, reference);
    return s;
  }
};

}  // namespace caploop
