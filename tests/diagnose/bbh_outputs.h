// The real BBH chain-of-thought outputs of code-davinci-002 (all 27 tasks, 6,511 items) loaded once, tagged by
// the built-in taxonomy rules, and paired with a candidate derived from them (scored with the real "bbh"
// reference rule, re-scored leniently and by first answer, endings classified by eval/ending.h), as the
// workspace pairs two stored runs. Shared by the diagnose tests on real data.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "diagnose/diagnosis_input.h"
#include "taxonomy/taggable_item.h"

namespace caploop::testing {

inline constexpr std::string_view kAnswerPhrase = "So the answer is ";

struct BbhOutput {
  std::string task;
  std::string id;
  std::string prompt;    // the full few-shot input
  std::string question;  // the item's own question, without "Q: " and the "A: ..." cue
  std::string prediction;
  std::string target;
  ItemTags tags;
};

struct BbhRun {
  std::vector<BbhOutput> outputs;  // in file order, tasks sorted by name
  std::map<std::string, std::vector<size_t>> by_task;
  std::map<std::string, std::vector<std::string>> task_targets;  // distinct targets, sorted
};

const BbhRun& bbh_run();

bool has_answer(std::string_view prediction);
// The prediction without its last answer statement (the whole prediction when it has none).
std::string_view reasoning_of(std::string_view prediction);
// The answer the "bbh" reference rule extracts.
std::string answer_of(std::string_view prediction);
// A target of the task other than `avoid`, chosen by `pick` among the alternatives.
std::string other_target(const std::vector<std::string>& targets, const std::string& avoid, uint64_t pick);
// The prediction's reasoning followed by "So the answer is <answer>.".
std::string with_answer(std::string_view prediction, const std::string& answer);

using Derive = std::function<std::string(const BbhRun&, size_t index)>;

// How a derived comparison is paired: the rules (as the workspace picks them for a reference rule), the
// baseline's predictions (the real ones unless derived too) and the candidate's prompts (the real ones unless
// built otherwise).
struct Pairing {
  std::string reference = "bbh";
  Derive base;         // nullptr: the real predictions
  Derive cand_prompt;  // nullptr: the real prompts
};

// Scores and classifies both runs, as the workspace does, and pairs them.
DiagnosisInput paired_runs(const BbhRun& run, const Derive& derive, const std::string& candidate_name,
                           const Pairing& pairing = Pairing{});

}  // namespace caploop::testing
