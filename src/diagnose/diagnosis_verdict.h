// Verdict and Cause: the closed sets a diagnosis concludes with — what the baseline -> candidate change is, and
// (for data_ruled_out) what caused it. Written into diagnosis JSON and plans and read back by `map` and `plan`.
//
// Contract: verdict_name() / cause_name() give the names every output spells (JSON, Markdown, HTML, terminal);
// parse_verdict() / parse_cause() accept exactly those names and return std::nullopt for anything else, so a
// reader can reject an unknown name with an error naming its file and field. A diagnosis has a cause only when
// its verdict is data_ruled_out (std::optional<Cause> elsewhere; JSON null). Pure functions; thread-safe.
#pragma once

#include <iosfwd>
#include <optional>
#include <string_view>

namespace caploop {

enum class Verdict { kDataRuledOut, kDataRuledIn, kImproved, kNoSignificantChange, kInconclusive };

// "data_ruled_out", "data_ruled_in", "improved", "no_significant_change", "inconclusive"
std::string_view verdict_name(Verdict verdict);
std::optional<Verdict> parse_verdict(std::string_view name);

enum class Cause { kTermination, kFormat, kScoring, kEvalConfig };

// "termination", "format", "scoring", "eval_config"
std::string_view cause_name(Cause cause);
std::optional<Cause> parse_cause(std::string_view name);

// The cause's name, "" when there is none (as the terminal and Markdown forms test for it).
std::string_view cause_name_or_empty(const std::optional<Cause>& cause);

// The names, for test failure messages.
std::ostream& operator<<(std::ostream& out, Verdict verdict);
std::ostream& operator<<(std::ostream& out, Cause cause);

}  // namespace caploop
