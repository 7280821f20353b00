// AnswerFormChange: did the candidate change the FORM of its answers (brackets dropped, a colon added, other
// case) rather than their content? A loss explained by form is a format problem, not a data weakness.
//
// Reads the per-item answer-form counts of DiagnosisInput (answered / shaped samples, tolerant-correct
// samples; eval/answer_shape.h and eval/rules_tolerant.h say how they are measured):
//   shape profile   per task (the item key's part before ':'), the share of extracted answers that have the
//                   reference's shape, in each run; overall the same share over all answered samples.
//   shape_share_drop  baseline share minus candidate share (positive: fewer answers in the reference's form).
//   off_shape_lost_share  lost items (candidate accuracy below the baseline's) on which the candidate's shaped
//                   share is below the baseline's, over lost items (0 when none lost).
//   tolerant recovery  the share of the loss the tolerant tier recovers: sum_lost min(loss_i, max(0, t_i -
//                   c_i)) / sum_lost loss_i with t_i the candidate's tolerant accuracy on the item.
//   examples        up to kMaxAnswerFormExamples lost items whose candidate answer lost the reference's shape
//                   or that the tolerant tier recovers, at most two per task, in input order.
// `measured` is false when no item carries shape counts in both runs (the profile is then empty and every
// shape share 0; tolerant recovery and its examples still count). Pure function; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "diagnose/diagnosis_input.h"

namespace caploop {

constexpr size_t kMaxAnswerFormExamples = 6;

struct TaskShapeProfile {
  std::string task;
  int64_t base_answered = 0;
  int64_t base_shaped = 0;
  int64_t cand_answered = 0;
  int64_t cand_shaped = 0;
  double base_share = 0.0;  // shaped / answered (0 when nothing answered)
  double cand_share = 0.0;
};

struct AnswerFormExample {
  std::string item;  // "<task>:<id>"
  std::string reference;
  std::string base_answer;
  std::string cand_answer;
  bool tolerant_correct = false;  // the candidate's answer is right under the tolerant tier
};

struct AnswerFormChange {
  bool measured = false;
  double base_shape_share = 0.0;
  double cand_shape_share = 0.0;
  double shape_share_drop = 0.0;
  double off_shape_lost_share = 0.0;
  double cand_accuracy_tolerant = 0.0;
  double recovered_share_tolerant = 0.0;
  std::vector<TaskShapeProfile> tasks;  // sorted by task
  std::vector<AnswerFormExample> examples;
};

AnswerFormChange measure_answer_form(const DiagnosisInput& input);

// An extracted answer as an example shows it: at most kExampleAnswerBytes bytes; a longer answer keeps its
// tail (where an answer statement ends) after "…", cut at a UTF-8 character boundary.
constexpr size_t kExampleAnswerBytes = 60;
std::string example_answer(std::string_view answer);

}  // namespace caploop
