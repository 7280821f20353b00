// Ending: how one generation ended, and the per-run/per-task summary of endings (TerminationReport).
//
// Contract: classify_ending() is a pure function. It uses, in order of trust: the harness's finish reason,
// the token count against the run's max_new_tokens, and otherwise inference from the text; `evidence` says
// which (so a report can say how truncation was established). Categories are exclusive, chosen by priority:
//   truncated            the generation hit the length limit (recorded, or inferred)
//   ran_on               an answer statement is followed by further text that starts a new turn
//                        ("\n\nQ:", "Question:", "Problem:", ...), or the response holds several answer
//                        statements that are not all the same text (an answer boxed twice to verify it is
//                        one answer restated, not running on)
//   degenerate_repetition the tail repeats one short unit many times (loops)
//   no_answer            the rule found no answer statement
//   stopped              ended normally after its answer
// A truncated or repeating generation may also have run on; `ran_on` is recorded separately as a flag so
// the diagnosis can see both.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "eval/scoring_rule.h"

namespace caploop {

enum class EndingKind { kStopped, kTruncated, kRanOn, kDegenerateRepetition, kNoAnswer };

std::string_view ending_name(EndingKind k);  // "stopped", "truncated", "ran_on", "degenerate_repetition", "no_answer"

enum class EndingEvidence {
  kFinishReason,  // the harness recorded why it stopped
  kTokenCount,    // n_tokens >= max_new_tokens
  kInferred,      // from the text alone
};

std::string_view evidence_name(EndingEvidence e);  // "finish_reason", "token_count", "inferred"

struct EndingInput {
  std::string_view text;
  std::optional<std::string_view> finish_reason;
  std::optional<int64_t> n_tokens;
  std::optional<int64_t> max_new_tokens;
  // Longest generation (in bytes) seen in the same run and task; used to infer truncation when nothing is
  // recorded: a generation that did not stop at an answer (none found, ran on, or loops), is at least 75% of
  // this length (token limits cut at varying byte lengths) and ends mid-sentence. See ending.cc for the
  // thresholds of every rule.
  std::optional<size_t> run_max_bytes;
};

struct Ending {
  EndingKind kind = EndingKind::kStopped;
  EndingEvidence evidence = EndingEvidence::kInferred;
  bool ran_on = false;      // flag, also set when kind is truncated/repetition
  bool truncated = false;   // flag
  bool repetitive = false;  // flag
};

// `extraction` is the result of the scoring rule in use (its statement span and count drive ran_on).
Ending classify_ending(const EndingInput& in, const Extraction& extraction);
// The same, with whether the text's tail repeats (Ending::repetitive) already known: a text classified under several
// rules (their extractions differ) is tested for repetition once.
Ending classify_ending(const EndingInput& in, const Extraction& extraction, bool repetitive);

// Streaming: the run's longest generation per task is known only once the whole run is read. Classify with
// run_max_bytes unset; where awaits_run_max_bytes() is true the ending may still become an inferred truncation, and
// with_run_max_bytes() then gives exactly what classify_ending() returns with run_max_bytes set. Elsewhere the
// ending does not depend on it.
bool awaits_run_max_bytes(const EndingInput& in, const Extraction& extraction, const Ending& ending);
Ending with_run_max_bytes(Ending ending, size_t text_bytes, size_t run_max_bytes);

}  // namespace caploop
