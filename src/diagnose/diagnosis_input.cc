#include "diagnose/diagnosis_input.h"

#include <fmt/format.h>

#include "core/error.h"

namespace caploop {

namespace {

[[noreturn]] void reject(const PairedItem& item, const char* field, const std::string& message) {
  throw Error(ErrorKind::kInput, fmt::format("item '{}': {}", item.key, message), SourceLocation{"", 0, field});
}

void require(bool ok, const PairedItem& item, const char* field, const char* message) {
  if (!ok) reject(item, field, message);
}

// The message is formatted only for a value out of range (this runs per item of the pairing).
void require_count(int64_t value, int64_t upper, const PairedItem& item, const char* field, const char* upper_name) {
  if (value < 0 || value > upper) {
    reject(item, field, fmt::format("{} must lie in [0, {}] ({}), got {}", field, upper, upper_name, value));
  }
}

}  // namespace

void validate_diagnosis_input(const DiagnosisInput& input) {
  if (input.items.empty()) {
    throw Error(ErrorKind::kInput, "no paired items: the two runs share no item", SourceLocation{"", 0, "items"});
  }
  if (input.only_in_baseline < 0 || input.only_in_candidate < 0) {
    throw Error(ErrorKind::kInput, "unpaired item counts must be >= 0", SourceLocation{"", 0, "only_in_baseline"});
  }
  for (const PairedItem& item : input.items) {
    require(item.base_samples >= 1, item, "base_samples", "must be >= 1");
    require(item.cand_samples >= 1, item, "cand_samples", "must be >= 1");
    require_count(item.base_correct, item.base_samples, item, "base_correct", "base_samples");
    require_count(item.cand_correct, item.cand_samples, item, "cand_correct", "cand_samples");
    require_count(item.base_abnormal, item.base_samples, item, "base_abnormal", "base_samples");
    require_count(item.cand_abnormal, item.cand_samples, item, "cand_abnormal", "cand_samples");
    require_count(item.base_no_answer, item.base_abnormal, item, "base_no_answer", "base_abnormal");
    require_count(item.cand_no_answer, item.cand_abnormal, item, "cand_no_answer", "cand_abnormal");
    require_count(item.cand_correct_lenient, item.cand_samples, item, "cand_correct_lenient", "cand_samples");
    require_count(item.cand_correct_first, item.cand_samples, item, "cand_correct_first", "cand_samples");
    require_count(item.cand_correct_tolerant, item.cand_samples, item, "cand_correct_tolerant", "cand_samples");
    require_count(item.base_answered, item.base_samples, item, "base_answered", "base_samples");
    require_count(item.cand_answered, item.cand_samples, item, "cand_answered", "cand_samples");
    require_count(item.base_shaped, item.base_answered, item, "base_shaped", "base_answered");
    require_count(item.cand_shaped, item.cand_answered, item, "cand_shaped", "cand_answered");
  }
}

}  // namespace caploop
