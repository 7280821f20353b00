#include "diagnose/diagnosis_verdict.h"

#include <ostream>

#include "core/enum_names.h"

namespace caploop {
namespace {

constexpr EnumNames<Verdict, 5> kVerdicts = {{
    {Verdict::kDataRuledOut, "data_ruled_out"},
    {Verdict::kDataRuledIn, "data_ruled_in"},
    {Verdict::kImproved, "improved"},
    {Verdict::kNoSignificantChange, "no_significant_change"},
    {Verdict::kInconclusive, "inconclusive"},
}};

constexpr EnumNames<Cause, 4> kCauses = {{
    {Cause::kTermination, "termination"},
    {Cause::kFormat, "format"},
    {Cause::kScoring, "scoring"},
    {Cause::kEvalConfig, "eval_config"},
}};

}  // namespace

std::string_view verdict_name(Verdict verdict) { return enum_name(kVerdicts, verdict); }
std::optional<Verdict> parse_verdict(std::string_view name) { return parse_enum(kVerdicts, name); }
std::string_view cause_name(Cause cause) { return enum_name(kCauses, cause); }
std::optional<Cause> parse_cause(std::string_view name) { return parse_enum(kCauses, name); }

std::string_view cause_name_or_empty(const std::optional<Cause>& cause) {
  return cause ? cause_name(*cause) : std::string_view();
}

std::ostream& operator<<(std::ostream& out, Verdict verdict) { return out << verdict_name(verdict); }
std::ostream& operator<<(std::ostream& out, Cause cause) { return out << cause_name(cause); }

}  // namespace caploop
